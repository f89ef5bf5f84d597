import { AppError } from './errors.js';

export const taskStates = ['todo', 'in_progress', 'done', 'cancelled'] as const;
export type TaskState = (typeof taskStates)[number];

/**
 * The task state machine: for each state, the states a task may move to.
 * Reopening a finished or cancelled task goes back to `todo`.
 */
export const taskTransitions: Readonly<Record<TaskState, readonly TaskState[]>> = {
  todo: ['in_progress', 'done', 'cancelled'],
  in_progress: ['todo', 'done', 'cancelled'],
  done: ['todo'],
  cancelled: ['todo'],
};

export const taskPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TaskPriority = (typeof taskPriorities)[number];

/** Numeric rank so that sorting by priority orders low < normal < high < urgent. */
export const priorityRank: Readonly<Record<TaskPriority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

export interface Task {
  id: string;
  title: string;
  description: string | null;
  state: TaskState;
  priority: TaskPriority;
  creatorId: string;
  assigneeId: string | null;
  dueAt: Date | null;
  /** Starts at 1 and increases by one on every change. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function isTransitionAllowed(from: TaskState, to: TaskState): boolean {
  return taskTransitions[from].includes(to);
}

export function assertTransition(task: Task, to: TaskState): void {
  if (isTransitionAllowed(task.state, to)) return;
  const allowed = taskTransitions[task.state];
  throw new AppError(
    'CONFLICT',
    `Cannot move task ${task.id} from ${task.state} to ${to}; from ${task.state} it may move to ${allowed.join(', ')}.`,
    { details: [{ path: 'to', rule: 'transition', message: `allowed from ${task.state}: ${allowed.join(', ')}` }] },
  );
}
