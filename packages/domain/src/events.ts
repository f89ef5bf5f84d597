import type { Task } from './task.js';

export const taskEventTypes = [
  'task.created',
  'task.updated',
  'task.transitioned',
  'task.assigned',
  'task.unassigned',
  'task.deleted',
] as const;
export type TaskEventType = (typeof taskEventTypes)[number];

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * One change to one task. The event is written before the task document,
 * and its unique (taskId, version) decides between concurrent writers.
 * `snapshot` is the whole task after the change (null once deleted), so a
 * reader can bring a stale task document up to date from the event alone.
 */
export interface TaskEvent {
  taskId: string;
  version: number;
  type: TaskEventType;
  actorId: string | null;
  at: Date;
  changes: FieldChange[];
  snapshot: Task | null;
}

/** One entry of a task's change history as callers see it: the event without its snapshot. */
export type TaskHistoryEntry = Omit<TaskEvent, 'snapshot'>;

export function toHistoryEntry(event: TaskEvent): TaskHistoryEntry {
  return { taskId: event.taskId, version: event.version, type: event.type, actorId: event.actorId, at: event.at, changes: event.changes };
}

const trackedFields = ['title', 'description', 'state', 'priority', 'assigneeId', 'dueAt'] as const;

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** Field-level differences between two versions of a task. */
export function diffTask(before: Task | null, after: Task | null): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of trackedFields) {
    const previous = before === null ? null : before[field];
    const next = after === null ? null : after[field];
    if (!sameValue(previous, next)) changes.push({ field, before: previous, after: next });
  }
  return changes;
}
