import { AppError, priorityRank, type Task } from '@taskwire/domain';
import type { SortDirection, TaskListPosition, TaskSortField } from './ports.js';

/**
 * Cursors for keyset paging over task lists. A cursor is base64url-encoded
 * JSON holding the sort it was issued for and the sort value and id of the
 * last task returned. The next page starts strictly after that (value, id)
 * pair, so tasks inserted meanwhile never shift a page as they do with
 * offsets. Clients must treat the cursor as opaque.
 */
// Single-letter keys keep cursors short in URLs.
interface CursorBody {
  f: TaskSortField;
  d: SortDirection;
  /** `d` for a date (ISO string in v), `n` for a number, `z` for null. */
  t: 'd' | 'n' | 'z';
  v: string | number | null;
  i: string;
}

const ID = /^[0-9a-f]{24}$/;
const SORT_FIELDS: readonly string[] = ['createdAt', 'updatedAt', 'priority', 'dueAt'];

export function sortValueOf(task: Task, field: TaskSortField): Date | number | null {
  if (field === 'priority') return priorityRank[task.priority];
  return task[field];
}

export function encodeCursor(sort: { field: TaskSortField; direction: SortDirection }, position: TaskListPosition): string {
  const { value } = position;
  const body: CursorBody =
    value instanceof Date
      ? { f: sort.field, d: sort.direction, t: 'd', v: value.toISOString(), i: position.id }
      : { f: sort.field, d: sort.direction, t: value === null ? 'z' : 'n', v: value, i: position.id };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Decode a cursor, rejecting one that is malformed or was issued for another sort. */
export function decodeCursor(cursor: string, sort: { field: TaskSortField; direction: SortDirection }): TaskListPosition {
  const body = parseBody(cursor);
  if (body === null) {
    throw AppError.validation('cursor', 'is not a cursor returned by tasks.list; start again without a cursor', 'cursor');
  }
  if (body.f !== sort.field || body.d !== sort.direction) {
    throw AppError.validation(
      'cursor',
      `was issued for sort ${body.f} ${body.d}, not ${sort.field} ${sort.direction}; send the same sort or start again without a cursor`,
      'cursor_sort',
    );
  }
  if (body.t === 'd') return { value: new Date(body.v as string), id: body.i };
  return { value: body.v as number | null, id: body.i };
}

function parseBody(cursor: string): CursorBody | null {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const { f, d, t, v, i } = body as Record<string, unknown>;
  if (typeof f !== 'string' || !SORT_FIELDS.includes(f)) return null;
  if (d !== 'asc' && d !== 'desc') return null;
  if (typeof i !== 'string' || !ID.test(i)) return null;
  const validValue =
    (t === 'd' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) || (t === 'n' && typeof v === 'number' && Number.isFinite(v)) || (t === 'z' && v === null);
  return validValue ? { f: f as TaskSortField, d, t, v, i } : null;
}
