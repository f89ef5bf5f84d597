import { describe, expect, it } from 'vitest';
import { AppError } from '@taskwire/domain';
import { AccessCache, type RevokedToken, type UserAccessChange } from '../src/index.js';

const HOUR = 3600_000;

function setup() {
  let now = new Date('2026-03-01T12:00:00Z').getTime();
  const revoked: RevokedToken[] = [];
  const changes: UserAccessChange[] = [];
  const queries: Date[] = [];
  const cache = new AccessCache({
    clock: { now: () => new Date(now) },
    tokenHorizonMs: 24 * HOUR,
    overlapMs: 5000,
    maxStalenessMs: 30_000,
    revokedTokens: { revokedSince: async (since) => revoked.filter((token) => token.revokedAt >= since) },
    users: {
      accessChangesSince: async (since) => {
        queries.push(since);
        return changes.filter((change) => change.changedAt >= since);
      },
    },
  });
  return {
    cache,
    revoked,
    changes,
    queries,
    advance(ms: number) {
      now += ms;
    },
    at(offsetMs = 0) {
      return new Date(now + offsetMs);
    },
  };
}

const claims = { userId: 'user-1', tokenId: 'token-1', role: 'member' as const, expiresAt: new Date('2026-03-02T12:00:00Z') };

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the check to throw');
}

describe('AccessCache', () => {
  it('fails closed before its first refresh', () => {
    const { cache } = setup();
    expect(failure(() => cache.check(claims)).code).toBe('UNAVAILABLE');
  });

  it('accepts a token nobody revoked', async () => {
    const { cache } = setup();
    await cache.refresh();
    expect(cache.check(claims)).toEqual({ userId: 'user-1', role: 'member' });
  });

  it('rejects a revoked token after a refresh', async () => {
    const world = setup();
    await world.cache.refresh();
    world.revoked.push({ tokenId: 'token-1', userId: 'user-1', expiresAt: claims.expiresAt, revokedAt: world.at() });
    expect(world.cache.check(claims).userId).toBe('user-1');

    await world.cache.refresh();
    const error = failure(() => world.cache.check(claims));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toContain('revoked');
  });

  it('uses the changed role over the token claim', async () => {
    const world = setup();
    world.changes.push({ userId: 'user-1', role: 'admin', active: true, deleted: false, changedAt: world.at() });
    await world.cache.refresh();
    expect(world.cache.check(claims).role).toBe('admin');
  });

  it('rejects users being deleted or deleted', async () => {
    const world = setup();
    world.changes.push({ userId: 'user-1', role: 'member', active: false, deleted: false, changedAt: world.at() });
    world.changes.push({ userId: 'user-2', role: 'member', active: false, deleted: true, changedAt: world.at() });
    await world.cache.refresh();
    expect(failure(() => world.cache.check(claims)).message).toContain('deleted');
    expect(failure(() => world.cache.check({ ...claims, userId: 'user-2' })).message).toContain('deleted');
  });

  it('keeps a deletion final', async () => {
    const world = setup();
    world.cache.userChanged({ userId: 'user-1', role: 'member', active: false, deleted: true, changedAt: world.at() });
    world.cache.userChanged({ userId: 'user-1', role: 'admin', active: true, deleted: false, changedAt: world.at(1000) });
    await world.cache.refresh();
    expect(failure(() => world.cache.check(claims)).code).toBe('UNAUTHENTICATED');
  });

  it('ignores an older change arriving after a newer one', async () => {
    const world = setup();
    world.cache.userChanged({ userId: 'user-1', role: 'manager', active: true, deleted: false, changedAt: world.at(1000) });
    world.cache.userChanged({ userId: 'user-1', role: 'admin', active: true, deleted: false, changedAt: world.at() });
    await world.cache.refresh();
    expect(world.cache.check(claims).role).toBe('manager');
  });

  it('reads back the overlap window from the newest change', async () => {
    const world = setup();
    world.changes.push({ userId: 'user-3', role: 'member', active: true, deleted: false, changedAt: world.at() });
    await world.cache.refresh();
    world.advance(10_000);
    await world.cache.refresh();
    const last = world.queries.at(-1)!;
    expect(last.getTime()).toBe(world.at(-10_000 - 5000).getTime());
  });

  it('finds a revocation committed late with an older stamp', async () => {
    const world = setup();
    world.revoked.push({ tokenId: 'token-9', userId: 'user-9', expiresAt: claims.expiresAt, revokedAt: world.at() });
    await world.cache.refresh();
    world.advance(1000);
    // Stamped 3 s before the newest revocation seen, committed only now.
    world.revoked.push({ tokenId: 'token-1', userId: 'user-1', expiresAt: claims.expiresAt, revokedAt: world.at(-4000) });
    await world.cache.refresh();
    expect(failure(() => world.cache.check(claims)).message).toContain('revoked');
  });

  it('starts from the token horizon', async () => {
    const world = setup();
    await world.cache.refresh();
    expect(world.queries[0]!.getTime()).toBe(world.at(-24 * HOUR).getTime());
  });

  it('fails closed once refreshes stop', async () => {
    const world = setup();
    await world.cache.refresh();
    world.advance(31_000);
    expect(world.cache.isFresh()).toBe(false);
    expect(failure(() => world.cache.check(claims)).code).toBe('UNAVAILABLE');
  });
});
