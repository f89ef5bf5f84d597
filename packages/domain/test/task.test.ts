import { describe, expect, it } from 'vitest';
import { AppError, assertTransition, diffTask, isTransitionAllowed, taskStates, toHistoryEntry, type Task, type TaskState } from '../src/index.js';

const base: Task = {
  id: 'task-1',
  title: 'Write tests',
  description: null,
  state: 'todo',
  priority: 'normal',
  creatorId: 'creator',
  assigneeId: null,
  dueAt: null,
  version: 1,
  createdAt: new Date('2030-01-01T00:00:00Z'),
  updatedAt: new Date('2030-01-01T00:00:00Z'),
};

// Every pair of states, read off the state machine: reopening goes through todo.
const allowed: Record<TaskState, TaskState[]> = {
  todo: ['in_progress', 'done', 'cancelled'],
  in_progress: ['todo', 'done', 'cancelled'],
  done: ['todo'],
  cancelled: ['todo'],
};

describe('task transitions', () => {
  for (const from of taskStates) {
    for (const to of taskStates) {
      const expected = allowed[from].includes(to);
      it(`${expected ? 'allows' : 'rejects'} ${from} to ${to}`, () => {
        expect(isTransitionAllowed(from, to)).toBe(expected);
      });
    }
  }

  it('names the current and allowed states when rejecting', () => {
    let error: unknown;
    try {
      assertTransition({ ...base, state: 'cancelled' }, 'done');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect((error as AppError).message).toBe('Cannot move task task-1 from cancelled to done; from cancelled it may move to todo.');
  });
});

describe('diffTask', () => {
  it('lists the set fields of a new task with null before', () => {
    const changes = diffTask(null, base);
    // Fields that are null on creation did not change, so they are left out.
    expect(changes.map((change) => change.field)).toEqual(['title', 'state', 'priority']);
    expect(changes).toContainEqual({ field: 'title', before: null, after: 'Write tests' });
  });

  it('lists only changed fields with before and after', () => {
    const changes = diffTask(base, { ...base, title: 'Write more tests', assigneeId: 'someone', version: 2, updatedAt: new Date() });
    expect(changes).toEqual([
      { field: 'title', before: 'Write tests', after: 'Write more tests' },
      { field: 'assigneeId', before: null, after: 'someone' },
    ]);
  });

  it('compares due dates by time, not identity', () => {
    const dueAt = new Date('2031-05-01T00:00:00Z');
    expect(diffTask({ ...base, dueAt }, { ...base, dueAt: new Date(dueAt.getTime()) })).toEqual([]);
    expect(diffTask({ ...base, dueAt }, { ...base, dueAt: null })).toEqual([{ field: 'dueAt', before: dueAt, after: null }]);
  });

  it('records a deletion as every field going to null', () => {
    const changes = diffTask({ ...base, state: 'done' }, null);
    expect(changes).toContainEqual({ field: 'state', before: 'done', after: null });
  });

  it('drops the snapshot from history entries', () => {
    const entry = toHistoryEntry({ taskId: 'task-1', version: 1, type: 'task.created', actorId: 'creator', at: base.createdAt, changes: [], snapshot: base });
    expect(entry).not.toHaveProperty('snapshot');
    expect(entry.type).toBe('task.created');
  });
});
