import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startApi, type RunningApi } from '../apps/api/test/support/api.js';
import { createClient, TaskwireError } from '../packages/sdk/src/index.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('sdk-live');
});

afterAll(async () => {
  await api?.close();
});

async function rejection(promise: Promise<unknown>): Promise<TaskwireError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TaskwireError);
  return error as TaskwireError;
}

describe('SDK against a live API', () => {
  it('reads the token from getToken before each call', async () => {
    const { token } = await signUp(api);
    let current: string | null = null;
    const client = createClient({ url: api.url, getToken: async () => current });

    const anonymous = await rejection(client.tasks.list.query());
    expect(anonymous.code).toBe('UNAUTHENTICATED');
    expect(anonymous.status).toBe(401);
    expect(anonymous.attempts).toBe(1);

    current = token;
    const page = await client.tasks.list.query({ page: 1, per_page: 5 });
    expect(page.meta).toMatchObject({ current_page: 1, per_page: 5 });
  });

  it('exposes the code, status and field details of a rejection', async () => {
    const { token } = await signUp(api);
    const client = createClient({ url: api.url, token });
    const error = await rejection(client.tasks.create.mutate({ title: 'ab' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.details.map((detail) => detail.path)).toEqual(['title']);
    expect(error.retryAfterSeconds).toBeNull();
  });

  it('returns the first result when a mutation is replayed with its key', async () => {
    const { token } = await signUp(api);
    const keys = ['replayed-key-1', 'replayed-key-1'];
    const client = createClient({ url: api.url, token, idempotency: { generateKey: () => keys.shift() ?? 'unexpected' } });
    const first = await client.tasks.create.mutate({ title: 'Created once' });
    const second = await client.tasks.create.mutate({ title: 'Created once' });
    expect(second.id).toBe(first.id);
    expect(await api.app.database.models.Task.countDocuments({ title: 'Created once' })).toBe(1);
  });

  it('reports a version conflict with the current version', async () => {
    const { token } = await signUp(api);
    const client = createClient({ url: api.url, token });
    const task = await client.tasks.create.mutate({ title: 'Contended task' });
    await client.tasks.transition.mutate({ id: task.id, to: 'in_progress' });
    const error = await rejection(client.tasks.transition.mutate({ id: task.id, to: 'done', expectedVersion: 1 }));
    expect(error.code).toBe('VERSION_CONFLICT');
    expect(error.status).toBe(409);
    expect(error.currentVersion).toBe(2);
  });
});
