import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('raw_http');
});

afterAll(async () => {
  await api?.close();
});

async function post(path: string, body: string) {
  const response = await fetch(`${api.url}/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  // Errors are superjson-encoded like results, so the error sits under `json`.
  const payload = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
  return { status: response.status, error: payload.error.json };
}

describe('superjson envelope', () => {
  it('rejects a body without the json wrapper with a hint', async () => {
    const { status, error } = await post('auth.register', JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(10), name: 'A' }));
    expect(status).toBe(400);
    expect(error.message).toContain('has no "json" key');
  });

  it('rejects a null body', async () => {
    const { status, error } = await post('auth.register', 'null');
    expect(status).toBe(400);
    expect(error.message).toContain('send the input as {"json": <input>}');
  });

  it('rejects a string in meta.values before superjson reads it', async () => {
    const body = JSON.stringify({ json: { email: 'a@example.com', password: 'x'.repeat(10), name: 'A' }, meta: { values: 'a'.repeat(100_000) } });
    const { status, error } = await post('auth.register', body);
    expect(status).toBe(400);
    expect(error.message).toContain('meta.values');
    expect(error.message).not.toContain('call stack');
  });
});

describe('validation messages', () => {
  it('echoes the rejected value once, without a doubled prefix', async () => {
    const { status, error } = await post('auth.register', JSON.stringify({ json: { email: 'not-an-email', password: 'correct horse', name: 'Ada' } }));
    expect(status).toBe(400);
    expect(error.message).toBe('Invalid input: email: must be an email address such as ada@example.com (received "not-an-email").');
    expect(error.data.appCode).toBe('VALIDATION_FAILED');
  });

  it('never echoes a password', async () => {
    const { error } = await post('auth.register', JSON.stringify({ json: { email: 'ada@example.com', password: 'short', name: 'Ada' } }));
    expect(error.message).toContain('password: must be at least 8 characters');
    expect(error.message).not.toContain('short"');
  });

  it('names the expected type for a wrong type', async () => {
    const { error } = await post('auth.register', JSON.stringify({ json: { email: 42, password: 'correct horse', name: 'Ada' } }));
    expect(error.message).toContain('email: expected string, received number (received 42)');
    expect(error.message).not.toContain('Invalid input: email: Invalid input');
  });

  it('rejects an upper-case id, which would compare unequal to the stored one', async () => {
    const { token } = await signUp(api);
    const input = encodeURIComponent(JSON.stringify({ json: { id: '6B132E27AAAAAAAAAAAAAAAA' } }));
    const response = await fetch(`${api.url}/trpc/tasks.get?input=${input}`, { headers: { authorization: `Bearer ${token}` } });
    const payload = (await response.json()) as { error: { json: { message: string } } };
    expect(response.status).toBe(400);
    expect(payload.error.json.message).toContain('must be a 24-character lower-case hexadecimal id');
  });

  it('carries the request id in error data', async () => {
    const response = await fetch(`${api.url}/trpc/tasks.list`, { headers: { 'x-request-id': 'req-abc' } });
    const body = (await response.json()) as { error: { json: { data: { requestId: string } } } };
    expect(body.error.json.data.requestId).toBe('req-abc');
  });
});
