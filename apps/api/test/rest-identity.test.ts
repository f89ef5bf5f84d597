import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.js';
import { rest } from './support/rest.js';

let api: RunningApi;
let base: string;

beforeAll(async () => {
  api = await startApi('rest-identity');
  base = `${api.url}/api/v1`;
});

afterAll(async () => {
  await api?.close();
});

let counter = 0;

async function account(role: 'member' | 'admin' = 'member') {
  counter += 1;
  const email = `identity${counter}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await rest(base, 'POST', '/auth/register', { body: { email, password, name: `User ${counter}` } });
  expect(registered.status).toBe(200);
  if (role === 'admin') {
    // Bump updatedAt and tell this node's access cache, as the users service
    // does; otherwise the cache may keep the member role it saw at registration.
    const changedAt = new Date();
    await api.app.database.models.User.updateOne({ _id: registered.body.id }, { $set: { role: 'admin', updatedAt: changedAt } });
    api.app.accessCache.userChanged({ userId: registered.body.id, role: 'admin', active: true, deleted: false, changedAt });
  }
  const login = await rest(base, 'POST', '/auth/login', { body: { email, password } });
  return { user: registered.body as { id: string; email: string }, token: login.body.token as string };
}

describe('REST auth session', () => {
  it('returns the caller from /auth/me', async () => {
    const { user, token } = await account();
    const me = await rest(base, 'GET', '/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email, role: 'member' });
  });

  it('revokes the token on /auth/logout', async () => {
    const { token } = await account();
    const logout = await rest(base, 'POST', '/auth/logout', { token });
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ revoked: true });
    const after = await rest(base, 'GET', '/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('REST user administration', () => {
  it('lists users, changes a role and deletes a user', async () => {
    const admin = await account('admin');
    const member = await account();

    const listed = await rest(base, 'GET', '/users?page=1&per_page=100', { token: admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((user: { id: string }) => user.id)).toContain(member.user.id);
    expect(listed.body.meta).toMatchObject({ current_page: 1, per_page: 100 });

    const promoted = await rest(base, 'PUT', `/users/${member.user.id}/role`, { token: admin.token, body: { role: 'manager' } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('manager');

    const deleted = await rest(base, 'DELETE', `/users/${member.user.id}`, { token: admin.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ userId: member.user.id, unassignedTaskIds: [] });
    expect(await api.app.database.models.User.findById(member.user.id).lean()).toBeNull();
  });

  it('rejects a member with 403 and a bad role with 400', async () => {
    const admin = await account('admin');
    const member = await account();
    const denied = await rest(base, 'GET', '/users', { token: member.token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');

    const bad = await rest(base, 'PUT', `/users/${member.user.id}/role`, { token: admin.token, body: { role: 'owner' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['role']);
  });
});

describe('REST rate limit', () => {
  it('answers 429 with Retry-After in the error body', async () => {
    const limited = await startApi('rest-rate-limit', { RATE_LIMIT_ANONYMOUS: '2' });
    try {
      const statuses: number[] = [];
      let last = await rest(`${limited.url}/api/v1`, 'GET', '/tasks');
      statuses.push(last.status);
      for (let attempt = 0; attempt < 3 && last.status !== 429; attempt += 1) {
        last = await rest(`${limited.url}/api/v1`, 'GET', '/tasks');
        statuses.push(last.status);
      }
      expect(statuses).toContain(429);
      expect(Object.keys(last.body)).toEqual(['error']);
      expect(last.body.error.code).toBe('RATE_LIMITED');
      expect(last.body.error.retryAfterSeconds).toBeGreaterThan(0);
      expect(Number(last.headers.get('retry-after'))).toBe(last.body.error.retryAfterSeconds);
      expect(last.body.error.requestId).toBe(last.headers.get('x-request-id'));
    } finally {
      await limited.close();
    }
  });
});
