import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '@taskwire/trpc';
import { signUp, signUpAs, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;
let token: string;
let taskId: string;
let userId: string;

beforeAll(async () => {
  api = await startApi('input-hardening');
  const admin = await signUpAs(api, 'admin');
  token = admin.token;
  taskId = (await admin.client.tasks.create.mutate({ title: 'Target task' })).id;
  userId = (await signUp(api)).user.id;
});

afterAll(async () => {
  await api?.close();
});

/**
 * A valid input for every procedure. Each field is replaced in turn by a
 * hostile value below; the test fails when the router gains a procedure
 * that this table does not list.
 */
function validInputs(): Record<string, Record<string, unknown>> {
  // Date fields are left out: raw JSON without superjson metadata can never
  // carry a Date, so every value sent there is rejected anyway.
  const key = { idempotencyKey: 'key-0123456789' };
  return {
    'auth.register': { email: 'new@example.com', password: 'long enough password', name: 'New', ...key },
    'auth.login': { email: 'new@example.com', password: 'long enough password' },
    'auth.logout': {},
    'auth.me': {},
    'tasks.create': { title: 'A task', description: 'Text', priority: 'high', ...key },
    'tasks.get': { id: taskId },
    'tasks.list': { state: 'todo', assignee: userId, creator: userId, title: 'Target', sort: 'priority', order: 'asc', page: 1, per_page: 10 },
    'tasks.update': { id: taskId, expectedVersion: 1, title: 'Renamed', description: 'New text', priority: 'low', ...key },
    'tasks.transition': { id: taskId, to: 'in_progress', expectedVersion: 1, ...key },
    'tasks.assign': { id: taskId, assigneeId: userId, expectedVersion: 1, ...key },
    'tasks.unassign': { id: taskId, expectedVersion: 1, ...key },
    'tasks.delete': { id: taskId, expectedVersion: 1, ...key },
    'tasks.history': { id: taskId, page: 1, per_page: 10 },
    'users.list': { page: 1, per_page: 10 },
    'users.setRole': { id: userId, role: 'manager', ...key },
    'users.delete': { id: userId, ...key },
  };
}

// Query operators, server-side JavaScript and containers where scalars belong.
const hostileValues: Array<[string, string]> = [
  ['$ne', '{"$ne":null}'],
  ['$gt', '{"$gt":""}'],
  ['$where', '{"$where":"sleep(1000) || true"}'],
  ['$regex', '{"$regex":".*"}'],
  ['array', '["x"]'],
  ['empty object', '{}'],
];

// Keys that must never reach a query or a stored document.
const hostileKeys: Array<[string, string]> = [
  ['$where', '"1 == 1"'],
  ['$ne', 'null'],
  ['__proto__', '{"role":"admin","polluted":true}'],
  ['constructor', '{"prototype":{"polluted":true}}'],
  ['role', '"admin"'],
];

function procedureType(path: string): 'query' | 'mutation' {
  const procedure = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path];
  if (!procedure) throw new Error(`No procedure ${path}`);
  return procedure._def.type === 'query' ? 'query' : 'mutation';
}

/** The input object as JSON text with one extra member spliced in verbatim, so keys like __proto__ survive. */
function withMember(input: Record<string, unknown>, key: string, valueJson: string): string {
  const rest = Object.fromEntries(Object.entries(input).filter(([name]) => name !== key));
  const text = JSON.stringify(rest);
  const member = `${JSON.stringify(key)}:${valueJson}`;
  return text === '{}' ? `{${member}}` : `${text.slice(0, -1)},${member}}`;
}

async function call(path: string, inputJson: string): Promise<{ status: number; message: string; code: string | undefined }> {
  const envelope = `{"json":${inputJson}}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const response =
    procedureType(path) === 'query'
      ? await fetch(`${api.url}/trpc/${path}?input=${encodeURIComponent(envelope)}`, { headers })
      : await fetch(`${api.url}/trpc/${path}`, { method: 'POST', headers, body: envelope });
  const body = (await response.json()) as { error?: { json: { message: string; data: { code: string } } } };
  return { status: response.status, message: body.error?.json.message ?? '', code: body.error?.json.data.code };
}

describe('input hardening', () => {
  it('lists every procedure of the router', () => {
    expect(Object.keys(validInputs()).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it('rejects operators and containers in every field', async () => {
    for (const [path, input] of Object.entries(validInputs())) {
      for (const field of Object.keys(input)) {
        for (const [label, value] of hostileValues) {
          const result = await call(path, withMember(input, field, value));
          const where = `${path} ${field}=${label}`;
          expect(result.status, where).toBe(400);
          expect(result.code, where).toBe('BAD_REQUEST');
          expect(result.message, where).toContain(field);
        }
      }
    }
  });

  it('rejects operator and prototype keys in every input', async () => {
    for (const [path, input] of Object.entries(validInputs())) {
      for (const [key, value] of hostileKeys) {
        // users.setRole takes a role; elsewhere a role key is an attempt to grant one.
        if (key in input) continue;
        const result = await call(path, withMember(input, key, value));
        const where = `${path} with key ${key}`;
        expect(result.status, where).toBe(400);
        expect(result.code, where).toBe('BAD_REQUEST');
      }
    }
  });

  it('rejects containers in place of the whole input', async () => {
    for (const path of Object.keys(validInputs())) {
      const result = await call(path, '["x"]');
      expect(result.status, path).toBe(400);
    }
  });

  it('leaves stored data and prototypes untouched', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await api.app.database.models.User.countDocuments({ role: 'admin' }).exec()).toBe(1);
    expect(await api.app.database.models.User.countDocuments({ email: 'new@example.com' }).exec()).toBe(0);
    const task = await api.app.database.models.Task.findById(taskId).lean().exec();
    expect(task).toMatchObject({ title: 'Target task', version: 1, state: 'todo' });
    expect(await api.app.database.models.Task.countDocuments().exec()).toBe(1);
  });
});
