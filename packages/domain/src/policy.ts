import { AppError } from './errors.js';
import { taskTransitions, type Task, type TaskState } from './task.js';
import type { Actor, Role } from './user.js';

/**
 * The access policy. Every transport and service calls this module, and no
 * other code decides who may do what.
 *
 * | action                                   | who                                      |
 * | ---------------------------------------- | ---------------------------------------- |
 * | create a task                            | any authenticated user                   |
 * | read a task                              | admin, manager, its creator, its assignee|
 * | update title, description, priority, due | its creator, admin                       |
 * | change state                             | its creator, its assignee, manager, admin|
 * | assign or unassign                       | manager, admin                           |
 * | delete a task                            | admin                                    |
 * | manage users and roles, dead jobs        | admin                                    |
 */
export type TaskAction = 'read' | 'update' | 'transition' | 'assign' | 'delete';
export type SystemAction = 'task.create' | 'users.manage' | 'jobs.manage';

const systemRoles: Readonly<Record<SystemAction, readonly Role[]>> = {
  'task.create': ['admin', 'manager', 'member'],
  'users.manage': ['admin'],
  'jobs.manage': ['admin'],
};

type TaskRelation = { isCreator: boolean; isAssignee: boolean; role: Role };

const taskRules: Readonly<Record<TaskAction, (relation: TaskRelation) => boolean>> = {
  read: (r) => r.role === 'admin' || r.role === 'manager' || r.isCreator || r.isAssignee,
  update: (r) => r.role === 'admin' || r.isCreator,
  transition: (r) => r.role === 'admin' || r.role === 'manager' || r.isCreator || r.isAssignee,
  assign: (r) => r.role === 'admin' || r.role === 'manager',
  delete: (r) => r.role === 'admin',
};

function relationOf(actor: Actor, task: Pick<Task, 'creatorId' | 'assigneeId'>): TaskRelation {
  return { role: actor.role, isCreator: task.creatorId === actor.userId, isAssignee: task.assigneeId === actor.userId };
}

export function can(actor: Actor, action: SystemAction): boolean {
  return systemRoles[action].includes(actor.role);
}

export function canOnTask(actor: Actor, action: TaskAction, task: Pick<Task, 'creatorId' | 'assigneeId'>): boolean {
  return taskRules[action](relationOf(actor, task));
}

/** Throw FORBIDDEN unless the actor's role allows the system action. */
export function authorize(actor: Actor, action: SystemAction): void {
  if (!can(actor, action)) {
    throw new AppError('FORBIDDEN', `Role ${actor.role} may not perform ${action}; it requires ${systemRoles[action].join(' or ')}.`);
  }
}

/**
 * Throw unless the actor may perform `action` on the task. A task the actor
 * may not read is reported as NOT_FOUND, so ids cannot be probed; any other
 * denial is FORBIDDEN.
 */
export function authorizeTask(actor: Actor, action: TaskAction, task: Pick<Task, 'id' | 'creatorId' | 'assigneeId'>): void {
  if (!canOnTask(actor, 'read', task)) {
    throw AppError.notFound('Task', task.id);
  }
  if (!canOnTask(actor, action, task)) {
    throw new AppError('FORBIDDEN', `Role ${actor.role} may not ${action} task ${task.id}.`);
  }
}

/** Return the states this actor may move the task to now, or none when it may not change state. */
export function allowedTransitionsFor(actor: Actor, task: Pick<Task, 'state' | 'creatorId' | 'assigneeId'>): TaskState[] {
  if (!canOnTask(actor, 'transition', task)) return [];
  return [...taskTransitions[task.state]];
}

/**
 * Return whether the actor may read the history of a deleted task. Only
 * admins may, because a deleted task has no live creator or assignee
 * relation left to check, and its history is kept as an audit record.
 */
export function canReadDeletedTaskHistory(actor: Actor): boolean {
  return actor.role === 'admin';
}

/** MongoDB-agnostic description of which tasks a list may return to this actor. */
export type TaskVisibility = { kind: 'all' } | { kind: 'related'; userId: string };

export function taskVisibility(actor: Actor): TaskVisibility {
  return actor.role === 'admin' || actor.role === 'manager' ? { kind: 'all' } : { kind: 'related', userId: actor.userId };
}
