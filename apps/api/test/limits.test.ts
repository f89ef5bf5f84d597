import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../src/server.js';
import { rejectionOf, signUp, signUpAs, startApi, type RunningApi } from './support/api.js';

const started: RunningApi[] = [];

async function start(label: string, env: Record<string, string> = {}, shareWith?: RunningApi): Promise<RunningApi> {
  // The limits under test, the defaults of a production start.
  const api = await startApi(label, { RATE_LIMIT_ANONYMOUS: '10', RATE_LIMIT_USER: '100', RATE_LIMIT_ADMIN: '1000', ...env }, shareWith ? { shareDatabaseWith: shareWith } : {});
  started.push(api);
  return api;
}

afterAll(async () => {
  for (const api of started.reverse()) await api.close();
});

/** A batched tRPC GET of `count` auth.me calls, the shape the tRPC client sends. */
function batchUrl(api: RunningApi, count: number): string {
  const input = encodeURIComponent(JSON.stringify({}));
  return `${api.url}/trpc/${Array.from({ length: count }, () => 'auth.me').join(',')}?batch=1&input=${input}`;
}

async function statuses(api: RunningApi, count: number, headers: (index: number) => Record<string, string> = () => ({})): Promise<number[]> {
  const result: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const response = await fetch(`${api.url}/trpc/auth.me`, { headers: headers(index) });
    await response.arrayBuffer();
    result.push(response.status);
  }
  return result;
}

describe('rate limits', () => {
  it('allows 10 anonymous calls a minute per IP, then 429', async () => {
    const api = await start('limits-anon');
    expect(await statuses(api, 10)).toEqual(Array(10).fill(401));

    const limited = await fetch(`${api.url}/trpc/auth.me`);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-limit')).toBe('10');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBe(retryAfter);

    const body = (await limited.json()) as { error: { json: { message: string; data: { code: string; httpStatus: number; retryAfterSeconds: number } } } };
    expect(body.error.json.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, retryAfterSeconds: retryAfter });
    expect(body.error.json.message).toContain('Rate limit of 10 calls per 60 seconds exceeded');
  });

  it('gives the tRPC client the retry delay', async () => {
    const api = await start('limits-client');
    await statuses(api, 10);
    const error = await rejectionOf(api.client().auth.me.query());
    expect(error.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(error.data?.httpStatus).toBe(429);
    expect(error.data?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('ignores X-Forwarded-For from an untrusted socket', async () => {
    const api = await start('limits-xff');
    const rotating = (index: number) => ({ 'x-forwarded-for': `203.0.113.${index + 1}` });
    const result = await statuses(api, 11, rotating);
    expect(result.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(result[10]).toBe(429);
  });

  it('keys clients by X-Forwarded-For behind a trusted proxy', async () => {
    const api = await start('limits-proxy', { TRUSTED_PROXIES: '127.0.0.1,::1' });
    const rotating = (index: number) => ({ 'x-forwarded-for': `203.0.113.${index + 1}` });
    expect(await statuses(api, 15, rotating)).toEqual(Array(15).fill(401));
    // One forwarded client still meets its own limit.
    const same = await statuses(api, 11, () => ({ 'x-forwarded-for': '198.51.100.7' }));
    expect(same[10]).toBe(429);
  });

  it('counts an invalid token against the IP', async () => {
    const api = await start('limits-forged');
    const forged = (index: number) => ({ authorization: `Bearer eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: `user-${index}` })).toString('base64url')}.${randomBytes(16).toString('base64url')}` });
    const result = await statuses(api, 11, forged);
    expect(result[10]).toBe(429);
  });

  it('counts every call of a batch', async () => {
    const api = await start('limits-batch');
    const member = await signUp(api);
    const auth = { authorization: `Bearer ${member.token}` };

    const ninety = await fetch(batchUrl(api, 90), { headers: auth });
    expect(ninety.status).toBe(200);
    expect(ninety.headers.get('ratelimit-remaining')).toBe('10');

    const overflow = await fetch(batchUrl(api, 11), { headers: auth });
    expect(overflow.status).toBe(429);
    const body = (await overflow.json()) as unknown[];
    expect(body).toHaveLength(11);
  });

  it('counts calls separated by encoded commas', async () => {
    const api = await start('limits-encoded');
    const member = await signUp(api);
    const url = batchUrl(api, 101).replaceAll('auth.me,', 'auth.me%2C');
    const response = await fetch(url, { headers: { authorization: `Bearer ${member.token}` } });
    expect(response.status).toBe(429);
  });

  it('rejects a batch of 200 calls from a member', async () => {
    const api = await start('limits-batch-200');
    const member = await signUp(api);
    const response = await fetch(batchUrl(api, 200), { headers: { authorization: `Bearer ${member.token}` } });
    expect(response.status).toBe(429);
    expect(response.headers.get('ratelimit-limit')).toBe('100');
    const body = (await response.json()) as Array<{ error: { json: { data: { retryAfterSeconds: number } } } }>;
    expect(body).toHaveLength(200);
    expect(body[199]?.error.json.data.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('allows an admin 1000 calls a minute', async () => {
    const api = await start('limits-admin');
    const admin = await signUpAs(api, 'admin');
    const response = await fetch(batchUrl(api, 200), { headers: { authorization: `Bearer ${admin.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toBe('1000');
    expect(response.headers.get('ratelimit-remaining')).toBe('800');
  });

  it('keeps users apart from their IP', async () => {
    const api = await start('limits-users');
    const member = await signUp(api);
    // Sign-up used the anonymous budget of this IP; the member's own budget is untouched.
    await statuses(api, 10);
    expect((await fetch(`${api.url}/trpc/auth.me`)).status).toBe(429);
    const mine = await fetch(`${api.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${member.token}` } });
    expect(mine.status, await mine.clone().text()).toBe(200);
    expect(mine.headers.get('ratelimit-remaining')).toBe('99');
  });

  it('leaves health probes unlimited', async () => {
    const api = await start('limits-health');
    await statuses(api, 11);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  });

  it('shares counters between nodes through Redis', async () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `taskwire-test:${randomBytes(6).toString('hex')}:` };
    const first = await start('limits-redis', redis);
    const second = await start('limits-redis-2', redis, first);

    expect(await statuses(first, 6)).toEqual(Array(6).fill(401));
    expect(await statuses(second, 4)).toEqual(Array(4).fill(401));
    expect((await fetch(`${second.url}/trpc/auth.me`)).status).toBe(429);
    expect((await fetch(`${first.url}/trpc/auth.me`)).status).toBe(429);
  });
});

describe('body limit', () => {
  it('rejects a 1.1 MB body with 413 naming the limit', async () => {
    const api = await start('limits-body', { RATE_LIMIT_ANONYMOUS: '1000' });
    const member = await signUp(api);
    const description = 'x'.repeat(Math.round(1.1 * 1024 * 1024));
    const response = await fetch(`${api.url}/trpc/tasks.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
      body: JSON.stringify({ json: { title: 'Large', description } }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { json: { message: string; data: { code: string; httpStatus: number } } } };
    expect(body.error.json.message).toContain(`limit of ${BODY_LIMIT_BYTES} bytes (1 MiB)`);
    expect(body.error.json.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(await api.app.database.models.Task.countDocuments().exec()).toBe(0);
  });

  it('gives the tRPC client PAYLOAD_TOO_LARGE', async () => {
    const api = await start('limits-body-client', { RATE_LIMIT_ANONYMOUS: '1000' });
    const member = await signUp(api);
    const error = await rejectionOf(api.client(member.token, { batch: false }).tasks.create.mutate({ title: 'Large', description: 'y'.repeat(1_200_000) }));
    expect(error.data?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('1 MiB');
  });
});
