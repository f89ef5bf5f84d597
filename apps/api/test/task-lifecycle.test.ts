import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, signUp, signUpAs, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('lifecycle');
});

afterAll(async () => {
  await api?.close();
});

describe('tasks.transition', () => {
  it('moves a task and reports the next allowed states', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Ship the release' });
    const started = await client.tasks.transition.mutate({ id: task.id, to: 'in_progress', expectedVersion: 1 });
    expect(started).toMatchObject({ state: 'in_progress', version: 2, allowedTransitions: ['todo', 'done', 'cancelled'] });
    const done = await client.tasks.transition.mutate({ id: task.id, to: 'done' });
    expect(done.allowedTransitions).toEqual(['todo']);
  });

  it('names the current and allowed states of an illegal move', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Finish early' });
    await client.tasks.transition.mutate({ id: task.id, to: 'done' });
    const error = await rejectionOf(client.tasks.transition.mutate({ id: task.id, to: 'in_progress' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toContain('from done to in_progress');
    expect(error.message).toContain('it may move to todo');
  });

  it('rejects a stale expected version with the current version', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Versioned task' });
    await client.tasks.update.mutate({ id: task.id, title: 'Versioned task, renamed' });
    const error = await rejectionOf(client.tasks.transition.mutate({ id: task.id, to: 'done', expectedVersion: 1 }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.data?.httpStatus).toBe(409);
    expect(error.data?.appCode).toBe('VERSION_CONFLICT');
    expect(error.data?.currentVersion).toBe(2);
  });
});

describe('tasks.update', () => {
  it('lets the creator change fields but not the assignee', async () => {
    const creator = await signUp(api);
    const manager = await signUpAs(api, 'manager');
    const assignee = await signUp(api);
    const task = await creator.client.tasks.create.mutate({ title: 'Plan the offsite' });
    await manager.client.tasks.assign.mutate({ id: task.id, assigneeId: assignee.user.id });

    const dueAt = new Date('2030-01-02T03:04:05.000Z');
    const updated = await creator.client.tasks.update.mutate({ id: task.id, priority: 'urgent', dueAt, description: 'Book rooms' });
    expect(updated).toMatchObject({ priority: 'urgent', dueAt, description: 'Book rooms', version: 3 });

    const error = await rejectionOf(assignee.client.tasks.update.mutate({ id: task.id, title: 'Taken over' }));
    expect(error.data?.code).toBe('FORBIDDEN');
  });

  it('records no event for a change that changes nothing', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Same title', priority: 'low' });
    const unchanged = await client.tasks.update.mutate({ id: task.id, title: 'Same title', priority: 'low' });
    expect(unchanged.version).toBe(1);
  });
});

describe('tasks.assign and tasks.unassign', () => {
  it('lets a manager assign to an existing user and unassign', async () => {
    const creator = await signUp(api);
    const manager = await signUpAs(api, 'manager');
    const assignee = await signUp(api);
    const task = await creator.client.tasks.create.mutate({ title: 'Review contract' });

    const assigned = await manager.client.tasks.assign.mutate({ id: task.id, assigneeId: assignee.user.id, expectedVersion: 1 });
    expect(assigned).toMatchObject({ assigneeId: assignee.user.id, version: 2 });
    // The assignee may now read it and change its state.
    const seen = await assignee.client.tasks.get.query({ id: task.id });
    expect(seen.allowedTransitions).toEqual(['in_progress', 'done', 'cancelled']);

    const unassigned = await manager.client.tasks.unassign.mutate({ id: task.id });
    expect(unassigned).toMatchObject({ assigneeId: null, version: 3 });
    const hidden = await rejectionOf(assignee.client.tasks.get.query({ id: task.id }));
    expect(hidden.data?.code).toBe('NOT_FOUND');
  });

  it('rejects assignment by a member with FORBIDDEN', async () => {
    const creator = await signUp(api);
    const task = await creator.client.tasks.create.mutate({ title: 'Self assign' });
    const error = await rejectionOf(creator.client.tasks.assign.mutate({ id: task.id, assigneeId: creator.user.id }));
    expect(error.data?.code).toBe('FORBIDDEN');
    expect(error.message).toContain('may not assign');
  });

  it('rejects a user id that does not exist', async () => {
    const creator = await signUp(api);
    const manager = await signUpAs(api, 'manager');
    const task = await creator.client.tasks.create.mutate({ title: 'Assign to nobody' });
    const missing = '0123456789abcdef01234567';
    const error = await rejectionOf(manager.client.tasks.assign.mutate({ id: task.id, assigneeId: missing }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain(`user ${missing} does not exist`);
    const stored = await creator.client.tasks.get.query({ id: task.id });
    expect(stored.version).toBe(1);
  });
});

describe('tasks.delete', () => {
  it('lets only an admin delete, and hides the task afterwards', async () => {
    const creator = await signUp(api);
    const manager = await signUpAs(api, 'manager');
    const admin = await signUpAs(api, 'admin');
    const task = await creator.client.tasks.create.mutate({ title: 'Obsolete task' });

    const denied = await rejectionOf(manager.client.tasks.delete.mutate({ id: task.id }));
    expect(denied.data?.code).toBe('FORBIDDEN');

    const deleted = await admin.client.tasks.delete.mutate({ id: task.id, expectedVersion: 1 });
    expect(deleted).toEqual({ id: task.id, version: 2 });

    const gone = await rejectionOf(creator.client.tasks.get.query({ id: task.id }));
    expect(gone.data?.code).toBe('NOT_FOUND');
    const list = await admin.client.tasks.list.query({ page: 1, per_page: 100 });
    expect(list.data.map((item) => item.id)).not.toContain(task.id);
    const again = await rejectionOf(admin.client.tasks.delete.mutate({ id: task.id }));
    expect(again.data?.code).toBe('NOT_FOUND');
  });
});

describe('tasks.history', () => {
  it('lists events in version order with field changes', async () => {
    const creator = await signUp(api);
    const manager = await signUpAs(api, 'manager');
    const task = await creator.client.tasks.create.mutate({ title: 'Tracked task' });
    await creator.client.tasks.update.mutate({ id: task.id, title: 'Tracked task, renamed' });
    await manager.client.tasks.assign.mutate({ id: task.id, assigneeId: creator.user.id });
    await creator.client.tasks.transition.mutate({ id: task.id, to: 'in_progress' });

    const history = await creator.client.tasks.history.query({ id: task.id });
    expect(history.meta).toEqual({ current_page: 1, per_page: 25, total_pages: 1, total_count: 4 });
    expect(history.data.map((entry) => [entry.version, entry.type])).toEqual([
      [1, 'task.created'],
      [2, 'task.updated'],
      [3, 'task.assigned'],
      [4, 'task.transitioned'],
    ]);
    const [created, renamed, assigned, moved] = history.data;
    expect(created?.actorId).toBe(creator.user.id);
    expect(created?.changes).toContainEqual({ field: 'title', before: null, after: 'Tracked task' });
    expect(renamed?.changes).toEqual([{ field: 'title', before: 'Tracked task', after: 'Tracked task, renamed' }]);
    expect(assigned?.actorId).toBe(manager.user.id);
    expect(assigned?.changes).toEqual([{ field: 'assigneeId', before: null, after: creator.user.id }]);
    expect(moved?.changes).toEqual([{ field: 'state', before: 'todo', after: 'in_progress' }]);
    expect(moved?.at).toBeInstanceOf(Date);
  });

  it('pages the history', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Paged history' });
    for (const title of ['Paged history 2', 'Paged history 3']) await client.tasks.update.mutate({ id: task.id, title });
    const second = await client.tasks.history.query({ id: task.id, page: 2, per_page: 2 });
    expect(second.meta).toEqual({ current_page: 2, per_page: 2, total_pages: 2, total_count: 3 });
    expect(second.data.map((entry) => entry.version)).toEqual([3]);
  });

  it('reports a task the caller cannot read as NOT_FOUND', async () => {
    const owner = await signUp(api);
    const other = await signUp(api);
    const task = await owner.client.tasks.create.mutate({ title: 'Secret history' });
    const error = await rejectionOf(other.client.tasks.history.query({ id: task.id }));
    expect(error.data?.code).toBe('NOT_FOUND');
  });

  it('keeps a deleted task history readable for admins only', async () => {
    const owner = await signUp(api);
    const admin = await signUpAs(api, 'admin');
    const task = await owner.client.tasks.create.mutate({ title: 'Deleted with history' });
    await admin.client.tasks.delete.mutate({ id: task.id });

    const history = await admin.client.tasks.history.query({ id: task.id });
    expect(history.data.map((entry) => entry.type)).toEqual(['task.created', 'task.deleted']);
    expect(history.data[1]?.actorId).toBe(admin.user.id);
    const error = await rejectionOf(owner.client.tasks.history.query({ id: task.id }));
    expect(error.data?.code).toBe('NOT_FOUND');
  });
});
