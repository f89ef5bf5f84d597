import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@taskwire/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../src/server.js';
import { signUp, startApi, type RunningApi } from './support/api.js';
import { rest, type RestResponse } from './support/rest.js';

let api: RunningApi;
let base: string;

beforeAll(async () => {
  api = await startApi('rest');
  base = `${api.url}/api/v1`;
});

afterAll(async () => {
  await api?.close();
});

let counter = 0;

async function restSignUp(name = 'Rest User') {
  counter += 1;
  const email = `rest${counter}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await rest(base, 'POST', '/auth/register', { body: { email, password, name } });
  expect(registered.status).toBe(200);
  const login = await rest(base, 'POST', '/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  return { user: registered.body, token: login.body.token as string, email, password };
}

/** Checks the one error body shape and returns its `error` member. */
function expectErrorBody(response: RestResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(Object.keys(response.body)).toEqual(['error']);
  expect(response.body.error.code).toBe(code);
  expect(typeof response.body.error.message).toBe('string');
  expect(Array.isArray(response.body.error.details)).toBe(true);
  expect(response.body.error.requestId).toBe(response.headers.get('x-request-id'));
  expect(response.text).not.toContain('stack');
  expect(response.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return response.body.error as { code: string; message: string; details: { path: string; message: string; rule?: string }[] };
}

async function trpcRejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe('REST auth', () => {
  it('registers and logs in with a bearer token', async () => {
    const { user, token, email } = await restSignUp('Grace Hopper');
    expect(user).toMatchObject({ email, name: 'Grace Hopper', role: 'member' });
    expect(user).not.toHaveProperty('passwordHash');
    expect(token.split('.')).toHaveLength(3);
  });

  it('rejects a wrong password with 401 UNAUTHENTICATED', async () => {
    const { email } = await restSignUp();
    const response = await rest(base, 'POST', '/auth/login', { body: { email, password: 'not the password' } });
    const error = expectErrorBody(response, 401, 'UNAUTHENTICATED');
    expect(error.message).toBe('Invalid email or password.');
  });

  it('rejects a duplicate email with 409 CONFLICT', async () => {
    const { email, password } = await restSignUp();
    const response = await rest(base, 'POST', '/auth/register', { body: { email, password, name: 'Again' } });
    expectErrorBody(response, 409, 'CONFLICT');
  });
});

describe('REST tasks', () => {
  it('creates, gets, updates and transitions a task', async () => {
    const { token, user } = await restSignUp();
    const created = await rest(base, 'POST', '/tasks', { token, body: { title: 'Ship the bridge', priority: 'high', dueAt: '2031-05-01T12:00:00Z' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ title: 'Ship the bridge', state: 'todo', creatorId: user.id, version: 1, dueAt: '2031-05-01T12:00:00.000Z' });

    const fetched = await rest(base, 'GET', `/tasks/${created.body.id}`, { token });
    expect(fetched.body).toEqual(created.body);

    const updated = await rest(base, 'PATCH', `/tasks/${created.body.id}`, { token, body: { title: 'Ship the REST bridge', expectedVersion: 1 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ title: 'Ship the REST bridge', version: 2 });

    const moved = await rest(base, 'POST', `/tasks/${created.body.id}/transitions`, { token, body: { to: 'in_progress' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ state: 'in_progress', version: 3 });

    const stored = await api.app.database.models.Task.findById(created.body.id).lean();
    expect(stored?.state).toBe('in_progress');
    expect(stored?.dueAt?.toISOString()).toBe('2031-05-01T12:00:00.000Z');
  });

  it('pages with page and per_page query parameters', async () => {
    const { token } = await restSignUp();
    for (const title of ['First task', 'Second task', 'Third task']) {
      expect((await rest(base, 'POST', '/tasks', { token, body: { title } })).status).toBe(200);
    }
    const second = await rest(base, 'GET', '/tasks?page=2&per_page=2', { token });
    expect(second.status).toBe(200);
    expect(second.body.meta).toEqual({ current_page: 2, per_page: 2, total_pages: 2, total_count: 3 });
    expect(second.body.data.map((task: { title: string }) => task.title)).toEqual(['First task']);

    const defaults = await rest(base, 'GET', '/tasks', { token });
    expect(defaults.body.meta).toMatchObject({ current_page: 1, per_page: 25 });
  });

  it('returns 409 with the current version on a stale expectedVersion', async () => {
    const { token } = await restSignUp();
    const created = await rest(base, 'POST', '/tasks', { token, body: { title: 'Versioned task' } });
    await rest(base, 'POST', `/tasks/${created.body.id}/transitions`, { token, body: { to: 'in_progress' } });
    const stale = await rest(base, 'PATCH', `/tasks/${created.body.id}`, { token, body: { title: 'Too late', expectedVersion: 1 } });
    const error = expectErrorBody(stale, 409, 'VERSION_CONFLICT');
    expect(stale.body.error.currentVersion).toBe(2);
    expect(error.message).toContain('version');
  });

  it("hides other members' tasks with 404", async () => {
    const owner = await restSignUp();
    const other = await restSignUp();
    const created = await rest(base, 'POST', '/tasks', { token: owner.token, body: { title: 'Private plan' } });
    const response = await rest(base, 'GET', `/tasks/${created.body.id}`, { token: other.token });
    expectErrorBody(response, 404, 'NOT_FOUND');
  });
});

describe('REST errors', () => {
  it('rejects a missing or forged token with 401', async () => {
    expectErrorBody(await rest(base, 'GET', '/tasks'), 401, 'UNAUTHENTICATED');
    expectErrorBody(await rest(base, 'GET', '/tasks', { token: 'not.a.token' }), 401, 'UNAUTHENTICATED');
  });

  it('names each invalid field with its rule', async () => {
    const response = await rest(base, 'POST', '/auth/register', { body: { email: 'not-an-email', password: 'short', name: 'X' } });
    const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(error.details.map((detail) => detail.path).sort()).toEqual(['email', 'password']);
    expect(error.details.every((detail) => typeof detail.rule === 'string')).toBe(true);
    expect(error.message).toContain('password: must be at least 8 characters');
  });

  it('rejects unknown body fields', async () => {
    const { token } = await restSignUp();
    const response = await rest(base, 'POST', '/tasks', { token, body: { title: 'Fine title', $where: 'sleep(1000)' } });
    const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(error.message).toContain('$where');
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await rest(base, 'POST', '/auth/login', { rawBody: '{"email": "a@example.com",' });
    const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(error.message).toContain('not valid JSON');
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const response = await rest(base, 'POST', '/auth/login', { rawBody: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(BODY_LIMIT_BYTES) }) });
    const error = expectErrorBody(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('1 MiB');
  });

  it('reads a missing POST body as empty', async () => {
    const { token } = await restSignUp();
    const error = expectErrorBody(await rest(base, 'POST', '/tasks', { token }), 400, 'VALIDATION_FAILED');
    expect(error.details.map((detail) => detail.path)).toEqual(['title']);
  });

  it('rejects a non-JSON content type', async () => {
    const response = await rest(base, 'POST', '/auth/login', { rawBody: 'email=a', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectErrorBody(response, response.status, 'VALIDATION_FAILED');
  });

  it('returns 404 for unknown routes in the same shape', async () => {
    const inside = expectErrorBody(await rest(base, 'GET', '/no-such-thing'), 404, 'NOT_FOUND');
    expect(inside.message).toContain('GET /api/v1/no-such-thing');
    expect(inside.message).toContain('/openapi.json');
    expectErrorBody(await rest(base, 'POST', '/tasks/a/b/c', { body: {} }), 404, 'NOT_FOUND');
    expectErrorBody(await rest(base, 'DELETE', '/tasks'), 404, 'NOT_FOUND');
  });
});

describe('same bad inputs over tRPC and REST', () => {
  const badPages = ['abc', '2.5', '0', '1e3', '', ' 2', '0x10', '-1'];

  async function expectBothReject() {
    const { token, client } = await signUp(api);
    for (const page of badPages) {
      const viaRest = await rest(base, 'GET', `/tasks?page=${encodeURIComponent(page)}`, { token });
      expect(viaRest.status, `page=${page}`).toBe(400);
      const restError = expectErrorBody(viaRest, 400, 'VALIDATION_FAILED');
      expect(restError.details.map((detail) => detail.path)).toEqual(['page']);

      const viaTrpc = await trpcRejection(client.tasks.list.query({ page: page as unknown as number }));
      expect(viaTrpc.data?.code).toBe('BAD_REQUEST');
      expect(viaTrpc.data?.appCode).toBe('VALIDATION_FAILED');
      expect(viaTrpc.data?.details.map((detail) => detail.path)).toEqual(['page']);
    }

    // A number sent as a string is a number over REST only, where every query value is a string.
    const viaTrpc = await trpcRejection(client.tasks.list.query({ page: '2' as unknown as number }));
    expect(viaTrpc.data?.appCode).toBe('VALIDATION_FAILED');
    const created = await client.tasks.create.mutate({ title: 'Strict version' });
    const stale = await trpcRejection(client.tasks.transition.mutate({ id: created.id, to: 'done', expectedVersion: '1' as unknown as number }));
    expect(stale.data?.appCode).toBe('VALIDATION_FAILED');
    const restVersion = await rest(base, 'POST', `/tasks/${created.id}/transitions`, { token, body: { to: 'done', expectedVersion: '1' } });
    expectErrorBody(restVersion, 400, 'VALIDATION_FAILED');
    const dueAsNumber = await trpcRejection(client.tasks.create.mutate({ title: 'Due as number', dueAt: 0 as unknown as Date }));
    expect(dueAsNumber.data?.appCode).toBe('VALIDATION_FAILED');
  }

  it('rejects them before and after REST calls', async () => {
    await expectBothReject();
    const { token } = await restSignUp();
    expect((await rest(base, 'GET', '/tasks?page=1&per_page=5', { token })).status).toBe(200);
    expect((await rest(base, 'POST', '/tasks', { token, body: { title: 'Warm up the bridge', dueAt: '2030-01-01T00:00:00Z' } })).status).toBe(200);
    await expectBothReject();
  });
});

describe('REST task lifecycle', () => {
  /** Registers an account and makes it an admin in the users collection before it logs in. */
  async function restAdmin() {
    const email = `rest-admin-${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await rest(base, 'POST', '/auth/register', { body: { email, password, name: 'Rest Admin' } });
    // Bump updatedAt and tell this node's access cache, as the users service does,
    // so the cache does not keep the member role it saw at registration.
    const changedAt = new Date();
    await api.app.database.models.User.updateOne({ _id: registered.body.id }, { $set: { role: 'admin', updatedAt: changedAt } });
    api.app.accessCache.userChanged({ userId: registered.body.id, role: 'admin', active: true, deleted: false, changedAt });
    const login = await rest(base, 'POST', '/auth/login', { body: { email, password } });
    expect(login.body.user.role).toBe('admin');
    return { user: registered.body, token: login.body.token as string };
  }

  it('assigns, unassigns, lists history and deletes', async () => {
    const admin = await restAdmin();
    const member = await restSignUp();
    const created = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Lifecycle task' } });
    const id = created.body.id as string;

    const assigned = await rest(base, 'PUT', `/tasks/${id}/assignee`, { token: admin.token, body: { assigneeId: member.user.id } });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ assigneeId: member.user.id, version: 2 });

    const unassigned = await rest(base, 'DELETE', `/tasks/${id}/assignee?expectedVersion=2`, { token: admin.token });
    expect(unassigned.status).toBe(200);
    expect(unassigned.body).toMatchObject({ assigneeId: null, version: 3 });

    const history = await rest(base, 'GET', `/tasks/${id}/history?page=1&per_page=10`, { token: member.token });
    expect(history.status).toBe(200);
    expect(history.body.data.map((entry: { version: number }) => entry.version)).toEqual([1, 2, 3]);
    expect(history.body.meta).toMatchObject({ current_page: 1, per_page: 10, total_count: 3 });

    const deleted = await rest(base, 'DELETE', `/tasks/${id}`, { token: admin.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id, version: 4 });
    expectErrorBody(await rest(base, 'GET', `/tasks/${id}`, { token: member.token }), 404, 'NOT_FOUND');
    expect(await api.app.database.models.Task.findById(id).lean()).toBeNull();
  });

  it('rejects assignment by a member with 403', async () => {
    const member = await restSignUp();
    const created = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Not mine to assign' } });
    const response = await rest(base, 'PUT', `/tasks/${created.body.id}/assignee`, { token: member.token, body: { assigneeId: member.user.id } });
    expectErrorBody(response, 403, 'FORBIDDEN');
  });

  it('filters lists by repeated states and unassigned', async () => {
    const member = await restSignUp();
    const first = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Still to do' } });
    const second = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Being done' } });
    await rest(base, 'POST', `/tasks/${second.body.id}/transitions`, { token: member.token, body: { to: 'in_progress' } });
    const third = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Given up' } });
    await rest(base, 'POST', `/tasks/${third.body.id}/transitions`, { token: member.token, body: { to: 'cancelled' } });

    const open = await rest(base, 'GET', '/tasks?state=todo&state=in_progress&assignee=unassigned&sort=createdAt&order=asc', { token: member.token });
    expect(open.status).toBe(200);
    expect(open.body.data.map((task: { id: string }) => task.id)).toEqual([first.body.id, second.body.id]);

    const single = await rest(base, 'GET', '/tasks?state=cancelled', { token: member.token });
    expect(single.body.data.map((task: { id: string }) => task.id)).toEqual([third.body.id]);

    const future = await rest(base, 'GET', `/tasks?createdFrom=${encodeURIComponent('2999-01-01T00:00:00Z')}`, { token: member.token });
    expect(future.body.data).toEqual([]);

    const badState = expectErrorBody(await rest(base, 'GET', '/tasks?state=finished', { token: member.token }), 400, 'VALIDATION_FAILED');
    expect(badState.details[0]?.path).toContain('state');
    const badDate = expectErrorBody(await rest(base, 'GET', '/tasks?createdFrom=yesterday', { token: member.token }), 400, 'VALIDATION_FAILED');
    expect(badDate.details.map((detail) => detail.path)).toEqual(['createdFrom']);
  });

  it('replays a POST with the same Idempotency-Key', async () => {
    const member = await restSignUp();
    const headers = { 'idempotency-key': `rest-key-${Date.now()}` };
    const first = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Exactly once' }, headers });
    const second = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Exactly once' }, headers });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);

    const reused = await rest(base, 'POST', '/tasks', { token: member.token, body: { title: 'Something else' }, headers });
    expectErrorBody(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await api.app.database.models.Task.countDocuments({ creatorId: member.user.id })).toBe(1);
  });
});
