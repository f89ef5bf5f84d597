import { TRPCClientError } from '@trpc/client';
import { Types } from 'mongoose';
import type { AppRouter } from '@taskwire/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDatabaseUri } from '../../../tests/support/database.js';
import { signUp, startApi, type RunningApi } from './support/api.js';

// Two API nodes on one database. Each node queues its own writes to a task,
// so the races between the nodes are decided by the event log's unique index.
let api: RunningApi;
let peer: RunningApi;

beforeAll(async () => {
  const uri = uniqueDatabaseUri('concurrency');
  api = await startApi('concurrency', { MONGODB_URI: uri });
  peer = await startApi('concurrency', { MONGODB_URI: uri });
});

afterAll(async () => {
  await peer?.app.close();
  await api?.close();
});

/** One HTTP request per call, alternating between the two nodes. */
function clientsFor(token: string) {
  const clients = [api.client(token, { batch: false }), peer.client(token, { batch: false })];
  return (i: number) => clients[i % 2]!;
}

const WRITERS = 50;

async function storedVersions(taskId: string): Promise<number[]> {
  const events = await api.app.database.models.TaskEvent.find({ taskId: new Types.ObjectId(taskId) }).sort({ version: 1 }).lean();
  return events.map((event) => event.version);
}

describe('concurrent task updates', () => {
  it('lets one of 50 writers with the same expected version win', async () => {
    const { token } = await signUp(api);
    const client = api.client(token, { batch: false });
    const node = clientsFor(token);
    const task = await client.tasks.create.mutate({ title: 'Contended task' });

    const results = await Promise.allSettled(
      Array.from({ length: WRITERS }, (_, i) => node(i).tasks.update.mutate({ id: task.id, expectedVersion: 1, title: `Writer ${i} wins` })),
    );

    const winners = results.filter((result) => result.status === 'fulfilled');
    const losers = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(WRITERS - 1);
    for (const error of losers) {
      expect(error).toBeInstanceOf(TRPCClientError);
      const data = (error as TRPCClientError<AppRouter>).data;
      expect(data?.code).toBe('CONFLICT');
      expect(data?.appCode).toBe('VERSION_CONFLICT');
      expect(data?.currentVersion).toBe(2);
    }

    expect(await storedVersions(task.id)).toEqual([1, 2]);
    const stored = await client.tasks.get.query({ id: task.id });
    expect(stored.version).toBe(2);
    expect(stored.title).toBe(winners[0]?.status === 'fulfilled' ? winners[0].value.title : 'no winner');
  });

  it('applies all 50 writers without an expected version', { timeout: 90_000 }, async () => {
    const { token } = await signUp(api);
    const client = api.client(token, { batch: false });
    const node = clientsFor(token);
    const task = await client.tasks.create.mutate({ title: 'Busy task' });

    const titles = Array.from({ length: WRITERS }, (_, i) => `Busy task, change ${i}`);
    const results = await Promise.all(titles.map((title, i) => node(i).tasks.update.mutate({ id: task.id, title })));
    expect(new Set(results.map((result) => result.version)).size).toBe(WRITERS);

    const expectedVersions = Array.from({ length: WRITERS + 1 }, (_, i) => i + 1);
    expect(await storedVersions(task.id)).toEqual(expectedVersions);
    const stored = await client.tasks.get.query({ id: task.id });
    expect(stored.version).toBe(WRITERS + 1);

    const history = await client.tasks.history.query({ id: task.id, page: 1, per_page: 100 });
    const applied = history.data.slice(1).map((entry) => entry.changes.find((change) => change.field === 'title')?.after);
    expect([...applied].sort()).toEqual([...titles].sort());
  });
});
