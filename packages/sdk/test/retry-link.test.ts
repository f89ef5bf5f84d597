import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@taskwire/trpc';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, retryLink, TaskwireError, type RetryOptions } from '../src/index.js';

interface SentRequest {
  path: string;
  body: unknown;
}

type Reply = () => Response;

const task = {
  id: '65f000000000000000000001',
  title: 'Retry me',
  description: null,
  state: 'todo',
  priority: 'normal',
  creatorId: '65f000000000000000000002',
  assigneeId: null,
  dueAt: null,
  version: 1,
  createdAt: new Date('2030-01-01T00:00:00Z'),
  updatedAt: new Date('2030-01-01T00:00:00Z'),
  allowedTransitions: ['in_progress'],
};

function success(value: unknown): Reply {
  return () => Response.json([{ result: { data: superjson.serialize(value) } }]);
}

function failure(status: number, data: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
  const error = { message: `failed with ${status}`, code: -32000, data: { httpStatus: status, ...data } };
  return () => Response.json([{ error: superjson.serialize(error) }], { status, headers });
}

function networkFailure(): Reply {
  return () => {
    throw new TypeError('fetch failed');
  };
}

/** Creates a client whose HTTP replies come from a script, recording retry delays instead of sleeping. */
function scriptedClient(replies: Reply[], retry: RetryOptions = {}) {
  const sent: SentRequest[] = [];
  const delays: number[] = [];
  const fetchStub = async (url: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(url)).pathname.replace('/trpc/', '');
    sent.push({ path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const reply = replies.shift();
    if (!reply) throw new Error(`unexpected request ${sent.length} to ${path}`);
    return reply();
  };
  const sleep = (milliseconds: number) => {
    delays.push(milliseconds);
    return { promise: Promise.resolve(), cancel: () => {} };
  };
  const client = createTRPCClient<AppRouter>({
    links: [retryLink({ retry, sleep }), httpBatchLink({ url: 'http://127.0.0.1:9/trpc', transformer: superjson, fetch: fetchStub as typeof fetch })],
  });
  return { client, sent, delays };
}

function keyOf(request: SentRequest | undefined): unknown {
  return (request?.body as Record<string, { json: { idempotencyKey?: string } }> | undefined)?.['0']?.json.idempotencyKey;
}

async function rejection(promise: Promise<unknown>): Promise<TaskwireError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TaskwireError);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TaskwireError;
}

describe('idempotency keys', () => {
  it('reuses one key across retries of a mutation', async () => {
    const { client, sent } = scriptedClient([failure(503, { code: 'SERVICE_UNAVAILABLE', appCode: 'UNAVAILABLE' }), networkFailure(), success(task)]);
    const created = await client.tasks.create.mutate({ title: 'Retry me' });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(sent).toHaveLength(3);
    const key = keyOf(sent[0]);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(keyOf(sent[1])).toBe(key);
    expect(keyOf(sent[2])).toBe(key);
  });

  it('uses a new key for each call', async () => {
    const { client, sent } = scriptedClient([success(task), success(task)]);
    await client.tasks.create.mutate({ title: 'One' });
    await client.tasks.create.mutate({ title: 'Two' });
    expect(keyOf(sent[0])).not.toBe(keyOf(sent[1]));
  });

  it('keeps a key the caller chose', async () => {
    const { client, sent } = scriptedClient([success(task)]);
    await client.tasks.create.mutate({ title: 'Mine', idempotencyKey: 'caller-key-1' } as never);
    expect(keyOf(sent[0])).toBe('caller-key-1');
  });

  it('sends no key to login, whose token the server does not store', async () => {
    const user = { id: 'x', email: 'a@example.com', name: 'A', role: 'member' as const, createdAt: new Date(), updatedAt: new Date() };
    const { client, sent } = scriptedClient([success({ token: 't', expiresAt: new Date(), user })]);
    await client.auth.login.mutate({ email: 'a@example.com', password: 'long enough' });
    expect(keyOf(sent[0])).toBeUndefined();
  });

  it('sends a key to registration', async () => {
    const { client, sent } = scriptedClient([success({ id: 'x', email: 'a@example.com', name: 'A', role: 'member', createdAt: new Date(), updatedAt: new Date() })]);
    await client.auth.register.mutate({ email: 'a@example.com', password: 'long enough', name: 'A' });
    expect(keyOf(sent[0])).toMatch(/^[\x21-\x7E]+$/);
  });
});

describe('retries', () => {
  it('waits at least Retry-After on 429', async () => {
    const { client, delays } = scriptedClient([failure(429, { code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED', retryAfterSeconds: 3 }), success(task)]);
    await client.tasks.get.query({ id: task.id });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(3000);
    expect(delays[0]).toBeLessThanOrEqual(4000);
  });

  it('reads Retry-After from the header when the body has none', async () => {
    const { client, delays } = scriptedClient([failure(429, { code: 'TOO_MANY_REQUESTS' }, { 'retry-after': '2' }), success(task)]);
    await client.tasks.get.query({ id: task.id });
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
  });

  it('gives up after maxAttempts with a typed error', async () => {
    const unavailable = failure(503, { code: 'SERVICE_UNAVAILABLE', appCode: 'UNAVAILABLE' });
    const { client, sent, delays } = scriptedClient([unavailable, unavailable, unavailable], { maxAttempts: 3, baseDelayMs: 100 });
    const error = await rejection(client.tasks.get.query({ id: task.id }));
    expect(sent).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(3);
  });

  it('fails at once when Retry-After exceeds the limit', async () => {
    const { client, sent } = scriptedClient([failure(429, { code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED', retryAfterSeconds: 600 })]);
    const error = await rejection(client.tasks.get.query({ id: task.id }));
    expect(sent).toHaveLength(1);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(600);
  });

  it('does not retry client errors', async () => {
    const { client, sent } = scriptedClient([failure(404, { code: 'NOT_FOUND', appCode: 'NOT_FOUND' })]);
    const error = await rejection(client.tasks.get.query({ id: task.id }));
    expect(sent).toHaveLength(1);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.retryAfterSeconds).toBeNull();
  });

  it('does not retry a keyless mutation after a lost connection', async () => {
    const { client, sent } = scriptedClient([networkFailure()]);
    const error = await rejection(client.auth.login.mutate({ email: 'a@example.com', password: 'long enough' }));
    expect(sent).toHaveLength(1);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.status).toBeNull();
  });

  it('retries a query after a lost connection', async () => {
    const { client, sent } = scriptedClient([networkFailure(), success(task)]);
    await client.tasks.get.query({ id: task.id });
    expect(sent).toHaveLength(2);
  });
});

describe('retryDelayMs', () => {
  const options = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000, maxRetryAfterSeconds: 60 };

  it('grows exponentially up to the cap, scaled by jitter', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, null, options, () => 1))).toEqual([200, 400, 800, 1000, 1000]);
    expect(retryDelayMs(3, null, options, () => 0.5)).toBe(400);
    expect(retryDelayMs(3, null, options, () => 0)).toBe(0);
  });

  it('never goes below Retry-After', () => {
    expect(retryDelayMs(1, 5, options, () => 0)).toBe(5000);
    expect(retryDelayMs(1, 5, options, () => 1)).toBe(5200);
  });
});
