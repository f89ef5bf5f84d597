import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rejectionOf, signUp, signUpAs, startApi, type RunningApi } from './support/api.js';

// Two API nodes on one database, as in a scaled-out deployment.
let first: RunningApi;
let second: RunningApi;

beforeAll(async () => {
  first = await startApi('auth-session');
  second = await startApi('auth-session-2', {}, { shareDatabaseWith: first });
});

afterAll(async () => {
  await second?.close();
  await first?.close();
});

// The bound the API promises for revocations, deletions and role changes to reach every node.
const PROPAGATION_BUDGET_MS = 2000;

describe('auth.me', () => {
  it('returns the caller', async () => {
    const account = await signUp(first, 'Grace');
    const me = await account.client.auth.me.query();
    expect(me).toMatchObject({ id: account.user.id, email: account.email, name: 'Grace', role: 'member' });
  });

  it('rejects a caller without a token as UNAUTHORIZED', async () => {
    const error = await rejectionOf(first.client().auth.me.query());
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('Authorization: Bearer');
  });
});

describe('auth.logout', () => {
  it('rejects the token at once on the node that served the logout', async () => {
    const account = await signUp(first);
    await expect(account.client.auth.logout.mutate()).resolves.toEqual({ revoked: true });

    const error = await rejectionOf(account.client.auth.me.query());
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('revoked');
  });

  it('rejects the token on another node within 2 seconds', async () => {
    const account = await signUp(first);
    const onSecond = second.client(account.token);
    await expect(onSecond.auth.me.query()).resolves.toMatchObject({ id: account.user.id });

    await account.client.auth.logout.mutate();
    const error = await eventually(() => rejectionOf(onSecond.auth.me.query()), PROPAGATION_BUDGET_MS);
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('revoked');
  });

  it('leaves other tokens of the same user valid', async () => {
    const account = await signUp(first);
    const { token: other } = await first.client().auth.login.mutate({ email: account.email, password: account.password });
    await account.client.auth.logout.mutate();
    await expect(first.client(other).auth.me.query()).resolves.toMatchObject({ id: account.user.id });
  });

  it('stores the revocation with the token expiry', async () => {
    const account = await signUp(first);
    await account.client.auth.logout.mutate();
    const stored = await first.app.database.models.RevokedToken.find({ userId: account.user.id }).lean().exec();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
  });
});

describe('user changes on another node', () => {
  it('applies a role change within 2 seconds', async () => {
    const admin = await signUpAs(first, 'admin');
    const member = await signUp(first);
    const onSecond = second.client(member.token);
    const denied = await rejectionOf(onSecond.users.list.query());
    expect(denied.data?.code).toBe('FORBIDDEN');

    await admin.client.users.setRole.mutate({ id: member.user.id, role: 'admin' });
    const page = await eventually(() => onSecond.users.list.query(), PROPAGATION_BUDGET_MS);
    expect(page.meta.total_count).toBeGreaterThanOrEqual(2);
  });

  it('rejects tokens of a deleted user within 2 seconds', async () => {
    const admin = await signUpAs(first, 'admin');
    const member = await signUp(first);
    const onSecond = second.client(member.token);
    await expect(onSecond.tasks.list.query()).resolves.toMatchObject({ data: [] });

    await admin.client.users.delete.mutate({ id: member.user.id });
    // tasks.list reads no user record, so only the access cache can reject it.
    const error = await eventually(() => rejectionOf(onSecond.tasks.list.query()), PROPAGATION_BUDGET_MS);
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('deleted');
  });
});

describe('access cache', () => {
  it('picks up a revocation committed late with an older timestamp', async () => {
    const account = await signUp(first);
    const onSecond = second.client(account.token);
    await expect(onSecond.auth.me.query()).resolves.toMatchObject({ id: account.user.id });
    // Let the second node's high-water mark move past the revocation time below.
    const later = await signUp(first);
    await later.client.auth.logout.mutate();
    await eventually(() => rejectionOf(second.client(later.token).auth.me.query()), PROPAGATION_BUDGET_MS);

    // A writer that stamped its revocation 3 seconds ago and commits only now.
    const session = await first.app.database.models.RevokedToken.findOne({ userId: later.user.id }).lean().exec();
    await first.app.database.models.RevokedToken.collection.insertOne({
      _id: tokenIdOf(account.token) as never,
      userId: session!.userId,
      expiresAt: new Date(Date.now() + 3600_000),
      revokedAt: new Date(Date.now() - 3000),
    });
    const error = await eventually(() => rejectionOf(onSecond.auth.me.query()), PROPAGATION_BUDGET_MS);
    expect(error.message).toContain('revoked');
  });
});

function tokenIdOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { jti: string };
  return payload.jti;
}
