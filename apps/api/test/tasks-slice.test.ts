import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, signUp, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('slice');
});

afterAll(async () => {
  await api?.close();
});

describe('auth', () => {
  it('registers a member and logs in with a token', async () => {
    const { user, token, email } = await signUp(api, 'Ada Lovelace');
    expect(user).toMatchObject({ email, name: 'Ada Lovelace', role: 'member' });
    expect(user).not.toHaveProperty('passwordHash');
    expect(token.split('.')).toHaveLength(3);
  });

  it('rejects a duplicate email case-insensitively with CONFLICT', async () => {
    const { email, password } = await signUp(api);
    const error = await rejectionOf(api.client().auth.register.mutate({ email: email.toUpperCase(), password, name: 'Again' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.data?.httpStatus).toBe(409);
    expect(error.message).toContain('already registered');
  });

  it('rejects a wrong password with UNAUTHORIZED', async () => {
    const { email } = await signUp(api);
    const error = await rejectionOf(api.client().auth.login.mutate({ email, password: 'not the password' }));
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('Invalid email or password.');
  });

  it('names the field and rule of invalid registration input', async () => {
    const error = await rejectionOf(api.client().auth.register.mutate({ email: 'not-an-email', password: 'short', name: 'X' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('email: must be an email address');
    expect(error.message).toContain('password: must be at least 8 characters');
    expect(error.data?.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['email', 'password']);
  });
});

describe('tasks', () => {
  it('rejects calls without a valid token with UNAUTHORIZED', async () => {
    const missing = await rejectionOf(api.client().tasks.list.query());
    expect(missing.data?.code).toBe('UNAUTHORIZED');
    expect(missing.data?.httpStatus).toBe(401);

    const forged = await rejectionOf(api.client('not.a.token').tasks.list.query());
    expect(forged.data?.code).toBe('UNAUTHORIZED');
    expect(forged.message).toContain('invalid');
  });

  it('creates a task, gets it by id, and stores a normalized title', async () => {
    const { client, user } = await signUp(api);
    const created = await client.tasks.create.mutate({ title: '  Write the report  ', priority: 'high' });
    expect(created).toMatchObject({ title: 'Write the report', state: 'todo', priority: 'high', creatorId: user.id, assigneeId: null, version: 1 });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.allowedTransitions).toEqual(['in_progress', 'done', 'cancelled']);

    const fetched = await client.tasks.get.query({ id: created.id });
    expect(fetched).toEqual(created);

    const stored = await api.app.database.models.Task.findById(created.id).lean();
    expect(stored?.title).toBe('Write the report');
    expect(stored?.version).toBe(1);
    const event = await api.app.database.models.TaskEvent.findById(`${created.id}:1`).lean();
    expect(event?.type).toBe('task.created');
  });

  it('rejects titles outside 3 to 200 characters, naming the rule', async () => {
    const { client } = await signUp(api);
    const short = await rejectionOf(client.tasks.create.mutate({ title: '  ab  ' }));
    expect(short.data?.code).toBe('BAD_REQUEST');
    expect(short.message).toContain('title: must be at least 3 visible characters after trimming (got 2)');

    const long = await rejectionOf(client.tasks.create.mutate({ title: 'x'.repeat(201) }));
    expect(long.message).toContain('title: must be at most 200 characters (got 201)');
  });

  it('pages tasks two per page with correct meta', async () => {
    const { client } = await signUp(api);
    for (const title of ['First task', 'Second task', 'Third task']) {
      await client.tasks.create.mutate({ title });
    }
    const first = await client.tasks.list.query({ page: 1, per_page: 2 });
    expect(first.meta).toEqual({ current_page: 1, per_page: 2, total_pages: 2, total_count: 3 });
    expect(first.data.map((task) => task.title)).toEqual(['Third task', 'Second task']);

    const second = await client.tasks.list.query({ page: 2, per_page: 2 });
    expect(second.meta).toEqual({ current_page: 2, per_page: 2, total_pages: 2, total_count: 3 });
    expect(second.data.map((task) => task.title)).toEqual(['First task']);
  });

  it('uses page 1 and 25 per page by default and caps per_page at 100', async () => {
    const { client } = await signUp(api);
    const defaults = await client.tasks.list.query();
    expect(defaults.meta).toMatchObject({ current_page: 1, per_page: 25 });

    const error = await rejectionOf(client.tasks.list.query({ page: 1, per_page: 101 }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('per_page: must be at most 100');
  });

  it("hides other members' tasks from a member", async () => {
    const owner = await signUp(api);
    const other = await signUp(api);
    const task = await owner.client.tasks.create.mutate({ title: 'Private plan' });

    const error = await rejectionOf(other.client.tasks.get.query({ id: task.id }));
    expect(error.data?.code).toBe('NOT_FOUND');
    const list = await other.client.tasks.list.query();
    expect(list.data.map((item) => item.id)).not.toContain(task.id);
  });
});
