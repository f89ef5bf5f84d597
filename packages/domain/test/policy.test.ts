import { describe, expect, it } from 'vitest';
import {
  AppError,
  allowedTransitionsFor,
  authorize,
  authorizeTask,
  canOnTask,
  taskTransitions,
  taskStates,
  type Actor,
  type Role,
  type TaskAction,
} from '../src/index.js';

const task = { id: 'task-1', creatorId: 'creator', assigneeId: 'assignee', state: 'todo' as const };

type Relation = 'creator' | 'assignee' | 'neither';
const actorFor = (role: Role, relation: Relation): Actor => ({ role, userId: relation === 'neither' ? 'someone-else' : relation });

// Expected outcome for each role, relation and action, read off the access table.
const expected: Record<Role, Record<Relation, Record<TaskAction, boolean>>> = {
  admin: {
    creator: { read: true, update: true, transition: true, assign: true, delete: true },
    assignee: { read: true, update: true, transition: true, assign: true, delete: true },
    neither: { read: true, update: true, transition: true, assign: true, delete: true },
  },
  manager: {
    creator: { read: true, update: true, transition: true, assign: true, delete: false },
    assignee: { read: true, update: false, transition: true, assign: true, delete: false },
    neither: { read: true, update: false, transition: true, assign: true, delete: false },
  },
  member: {
    creator: { read: true, update: true, transition: true, assign: false, delete: false },
    assignee: { read: true, update: false, transition: true, assign: false, delete: false },
    neither: { read: false, update: false, transition: false, assign: false, delete: false },
  },
};

describe('access policy', () => {
  for (const [role, relations] of Object.entries(expected) as [Role, Record<Relation, Record<TaskAction, boolean>>][]) {
    for (const [relation, actions] of Object.entries(relations) as [Relation, Record<TaskAction, boolean>][]) {
      for (const [action, allowed] of Object.entries(actions) as [TaskAction, boolean][]) {
        it(`${role} as ${relation} ${allowed ? 'may' : 'may not'} ${action}`, () => {
          expect(canOnTask(actorFor(role, relation), action, task)).toBe(allowed);
        });
      }
    }
  }

  it('reports a task the actor cannot read as NOT_FOUND', () => {
    const error = captureError(() => authorizeTask(actorFor('member', 'neither'), 'delete', task));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('reports other denials as FORBIDDEN', () => {
    const error = captureError(() => authorizeTask(actorFor('member', 'assignee'), 'update', task));
    expect(error.code).toBe('FORBIDDEN');
  });

  it('lets only admins manage users', () => {
    expect(() => authorize(actorFor('admin', 'neither'), 'users.manage')).not.toThrow();
    expect(captureError(() => authorize(actorFor('manager', 'neither'), 'users.manage')).code).toBe('FORBIDDEN');
  });

  it('offers no transitions to an actor who may not change state', () => {
    expect(allowedTransitionsFor(actorFor('member', 'neither'), task)).toEqual([]);
    expect(allowedTransitionsFor(actorFor('member', 'assignee'), task)).toEqual(['in_progress', 'done', 'cancelled']);
  });
});

describe('state machine', () => {
  it('gives every state at least one way out and reopens done tasks to todo', () => {
    for (const state of taskStates) expect(taskTransitions[state].length).toBeGreaterThan(0);
    expect(taskTransitions.done).toEqual(['todo']);
  });
});

function captureError(action: () => void): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}
