import { request } from 'node:http';
import type { TRPCClientError } from '@trpc/client';
import { IdempotencyService } from '@taskwire/application';
import { createRepositories, newObjectIdString } from '@taskwire/mongo';
import { fingerprintOf, type AppRouter } from '@taskwire/trpc';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, signUp, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('idempotency');
});

afterAll(async () => {
  await api?.close();
});

function countTasksTitled(title: string): Promise<number> {
  return api.app.database.models.Task.countDocuments({ title }).exec();
}

function keyRecord(key: string) {
  return api.app.database.models.IdempotencyKey.findOne({ key }).lean();
}

/**
 * Send a tasks.create call and close the socket without reading the
 * response, as a client that lost it would. The socket stays open until the
 * server has recorded the outcome under the key: closing it earlier can stop
 * the server before it reads the body, which is a lost request, not a lost
 * response.
 */
async function sendAndDropResponse(token: string, input: { idempotencyKey: string }): Promise<void> {
  const body = JSON.stringify(superjson.serialize(input));
  const url = new URL(`${api.url}/trpc/tasks.create`);
  const outgoing = request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
  });
  outgoing.on('error', () => {
    // The socket is destroyed below on purpose.
  });
  outgoing.end(body);
  try {
    await waitForCompletedKey(input.idempotencyKey);
  } finally {
    outgoing.destroy();
  }
}

/** Store a pending record as a request that is still running, or that died, would have left it. */
async function insertPendingRecord(userId: string, input: { title: string; idempotencyKey: string }, createdAt: Date): Promise<void> {
  const { idempotencyKey: key, ...fields } = input;
  await api.app.database.models.IdempotencyKey.create({
    userId,
    key,
    operation: 'tasks.create',
    fingerprint: fingerprintOf('tasks.create', fields),
    state: 'pending',
    response: null,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 24 * 60 * 60 * 1000),
  });
}

async function waitForCompletedKey(key: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await keyRecord(key))?.state === 'completed') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`idempotency key ${key} never completed`);
}

describe('idempotency keys', () => {
  it('replays the first result without a second effect', async () => {
    const { client } = await signUp(api);
    const input = { title: 'Created once', idempotencyKey: 'create-once-1' };
    const first = await client.tasks.create.mutate(input);
    const second = await client.tasks.create.mutate(input);
    expect(second).toEqual(first);
    expect(second.createdAt).toBeInstanceOf(Date);
    expect(await countTasksTitled('Created once')).toBe(1);
  });

  it('replays after the first response was lost', async () => {
    const { client, token } = await signUp(api);
    const input = { title: 'Response lost', priority: 'high' as const, idempotencyKey: 'lost-response-1' };
    await sendAndDropResponse(token, input);

    const retried = await client.tasks.create.mutate(input);
    expect(retried).toMatchObject({ title: 'Response lost', priority: 'high', version: 1 });
    expect(await countTasksTitled('Response lost')).toBe(1);
  });

  it('replays an update without applying it twice', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Updated once' });
    const input = { id: task.id, title: 'Updated once, renamed', idempotencyKey: 'update-once-1' };
    const first = await client.tasks.update.mutate(input);
    await client.tasks.update.mutate({ id: task.id, title: 'Changed by someone else' });
    const replayed = await client.tasks.update.mutate(input);
    expect(replayed).toEqual(first);
    const stored = await client.tasks.get.query({ id: task.id });
    expect(stored).toMatchObject({ title: 'Changed by someone else', version: 3 });
  });

  it('rejects the same key with different input', async () => {
    const { client } = await signUp(api);
    await client.tasks.create.mutate({ title: 'First use', idempotencyKey: 'reused-key-1' });
    const error = await rejectionOf(client.tasks.create.mutate({ title: 'Second use', idempotencyKey: 'reused-key-1' }));
    expect(error.data?.code).toBe('UNPROCESSABLE_CONTENT');
    expect(error.data?.httpStatus).toBe(422);
    expect(error.data?.appCode).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(error.message).toContain('already used with different input');
    expect(await countTasksTitled('Second use')).toBe(0);
  });

  it('rejects the same key on another procedure', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Key on create', idempotencyKey: 'cross-procedure-1' });
    const error = await rejectionOf(client.tasks.transition.mutate({ id: task.id, to: 'done', idempotencyKey: 'cross-procedure-1' }));
    expect(error.data?.appCode).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys to the user', async () => {
    const alice = await signUp(api);
    const bob = await signUp(api);
    const fromAlice = await alice.client.tasks.create.mutate({ title: 'Per-user key', idempotencyKey: 'shared-key-1' });
    const fromBob = await bob.client.tasks.create.mutate({ title: 'Per-user key', idempotencyKey: 'shared-key-1' });
    expect(fromBob.id).not.toBe(fromAlice.id);
    expect(fromBob.creatorId).toBe(bob.user.id);
  });

  it('runs concurrent requests with one key once', async () => {
    const { token } = await signUp(api);
    const client = api.client(token, { batch: false });
    const input = { title: 'Concurrent key', idempotencyKey: 'concurrent-key-1' };
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.tasks.create.mutate(input)));

    const ids = new Set(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.id] : [])));
    expect(ids.size).toBe(1);
    for (const result of results) {
      if (result.status === 'rejected') expect((result.reason as TRPCClientError<AppRouter>).message).toContain('is still running');
    }
    expect(await countTasksTitled('Concurrent key')).toBe(1);
  });

  it('frees the key when the request fails', async () => {
    const { client } = await signUp(api);
    const task = await client.tasks.create.mutate({ title: 'Failing transition' });
    await client.tasks.transition.mutate({ id: task.id, to: 'done' });
    const error = await rejectionOf(client.tasks.transition.mutate({ id: task.id, to: 'in_progress', idempotencyKey: 'failing-key-1' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(await keyRecord('failing-key-1')).toBeNull();
  });

  it('reports a pending key as still running', async () => {
    const { client, user } = await signUp(api);
    const input = { title: 'Pending elsewhere', idempotencyKey: 'pending-key-1' };
    await insertPendingRecord(user.id, input, new Date());
    const error = await rejectionOf(client.tasks.create.mutate(input));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.data?.retryAfterSeconds).toBe(1);
    expect(error.message).toContain('is still running');
    expect(await countTasksTitled('Pending elsewhere')).toBe(0);
  });

  it('takes over a key left pending by a crashed request', async () => {
    const { client, user } = await signUp(api);
    const input = { title: 'Abandoned key', idempotencyKey: 'abandoned-key-1' };
    await insertPendingRecord(user.id, input, new Date(Date.now() - 10 * 60 * 1000));
    const created = await client.tasks.create.mutate(input);
    expect(created.title).toBe('Abandoned key');
    expect((await keyRecord(input.idempotencyKey))?.state).toBe('completed');
    expect(await client.tasks.create.mutate(input)).toEqual(created);
  });

  it('rejects a malformed key', async () => {
    const { client } = await signUp(api);
    const error = await rejectionOf(client.tasks.create.mutate({ title: 'Bad key', idempotencyKey: 'has spaces' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('idempotencyKey: must be 1 to 255 visible ASCII characters');
  });

  it('treats an expired key as new and lets the sweeper delete expired keys', async () => {
    const { client } = await signUp(api);
    const input = { title: 'Expiring key', idempotencyKey: 'expiring-key-1' };
    const first = await client.tasks.create.mutate(input);
    const past = new Date(Date.now() - 1000);
    await api.app.database.models.IdempotencyKey.updateOne({ key: input.idempotencyKey }, { $set: { expiresAt: past } });

    // The expired key is free again: other input under it creates another task, without IDEMPOTENCY_KEY_REUSED.
    const second = await client.tasks.create.mutate({ ...input, title: 'Expiring key, reused' });
    expect(second.id).not.toBe(first.id);
    expect(second.title).toBe('Expiring key, reused');

    await api.app.database.models.IdempotencyKey.updateOne({ key: input.idempotencyKey }, { $set: { expiresAt: past } });
    const sweeper = new IdempotencyService({ store: createRepositories(api.app.database).idempotency, clock: { now: () => new Date() }, ids: { newId: newObjectIdString } });
    expect(await sweeper.deleteExpired()).toBeGreaterThanOrEqual(1);
    expect(await keyRecord(input.idempotencyKey)).toBeNull();
  });
});
