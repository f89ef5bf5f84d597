import type { TaskListQuery, TaskListPosition, TaskSortField } from '@taskwire/application';
import { trusted, type QueryFilter, type SortOrder } from 'mongoose';
import { toObjectId } from './ids.js';
import type { TaskDoc } from './models.js';

/** Titles are at most 200 characters, so a longer search string can match nothing. */
export const TITLE_SEARCH_MAX_LENGTH = 200;

const sortPaths: Record<TaskSortField, 'createdAt' | 'updatedAt' | 'priorityRank' | 'dueAt'> = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  priority: 'priorityRank',
  dueAt: 'dueAt',
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An id that cannot match any document, for filters on malformed ids. */
const NO_ID = toObjectId('000000000000000000000000')!;

/**
 * Build the MongoDB filter and sort for a task list. Every operator object
 * is wrapped in `trusted`, because the connection's sanitizeFilter would
 * otherwise neutralize it. State is always matched with `$in`, even for one
 * state, so the indexes lead with creator, assignee or the sort field.
 */
export function buildTaskListQuery(query: TaskListQuery): { filter: QueryFilter<TaskDoc>; countFilter: QueryFilter<TaskDoc>; sort: Record<string, SortOrder> } {
  const and: QueryFilter<TaskDoc>[] = [];
  const filter: QueryFilter<TaskDoc> = {};
  const { visibility } = query;
  if (visibility.kind === 'related') {
    const userId = toObjectId(visibility.userId) ?? NO_ID;
    and.push({ $or: [{ creatorId: userId }, { assigneeId: userId }] });
  }

  const criteria = query.filter;
  if (criteria.states !== undefined) filter.state = trusted({ $in: [...criteria.states] });
  if (criteria.assigneeId !== undefined) filter.assigneeId = criteria.assigneeId === null ? null : (toObjectId(criteria.assigneeId) ?? NO_ID);
  if (criteria.creatorId !== undefined) filter.creatorId = toObjectId(criteria.creatorId) ?? NO_ID;
  for (const field of ['createdAt', 'updatedAt'] as const) {
    const range = criteria[field];
    if (range === undefined || (range.from === undefined && range.to === undefined)) continue;
    filter[field] = trusted({ ...(range.from === undefined ? {} : { $gte: range.from }), ...(range.to === undefined ? {} : { $lte: range.to }) });
  }
  if (criteria.titleContains !== undefined) {
    filter.title = trusted({ $regex: escapeRegex(criteria.titleContains.slice(0, TITLE_SEARCH_MAX_LENGTH)), $options: 'i' });
  }

  const path = sortPaths[query.sort.field];
  const order: SortOrder = query.sort.direction === 'asc' ? 1 : -1;
  const countFilter = withAnd(filter, and);
  if (query.window.kind === 'after' && query.window.position !== null) {
    and.push({ $or: afterPosition(path, query.sort.direction, query.window.position) });
  }
  return { filter: withAnd(filter, and), countFilter, sort: { [path]: order, _id: order } };
}

function withAnd(filter: QueryFilter<TaskDoc>, and: QueryFilter<TaskDoc>[]): QueryFilter<TaskDoc> {
  if (and.length === 0) return { ...filter };
  if (and.length === 1) return { ...filter, ...and[0] };
  return { ...filter, $and: [...and] };
}

/**
 * Build the `$or` branches matching documents strictly after (value, id) in
 * the sort order. MongoDB sorts null before every date, so nulls come first
 * in ascending order and last in descending order. Because `$lt` and `$gt`
 * never match null, nulls need branches of their own.
 */
function afterPosition(path: string, direction: 'asc' | 'desc', position: TaskListPosition): QueryFilter<TaskDoc>[] {
  const id = toObjectId(position.id) ?? NO_ID;
  const beyond = direction === 'asc' ? '$gt' : '$lt';
  const sameValueLaterId = { [path]: position.value, _id: trusted({ [beyond]: id }) };
  if (position.value === null) {
    // Descending: only nulls with a later id remain. Ascending: those, then every non-null value.
    return direction === 'desc' ? [sameValueLaterId] : [sameValueLaterId, { [path]: trusted({ $ne: null }) }];
  }
  const branches: QueryFilter<TaskDoc>[] = [{ [path]: trusted({ [beyond]: position.value }) }, sameValueLaterId];
  if (direction === 'desc' && path === 'dueAt') branches.push({ dueAt: null });
  return branches;
}
