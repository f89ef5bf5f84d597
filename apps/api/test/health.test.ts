import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@taskwire/trpc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFerretdb } from '../../../scripts/lib/ferretdb.mjs';
import { signUp, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('health');
});

afterAll(async () => {
  await api?.close();
});

it('answers liveness and readiness probes', async () => {
  const live = await fetch(`${api.url}/healthz`);
  expect(live.status).toBe(200);
  const ready = await fetch(`${api.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready' });
});

it('echoes a well-formed request id and generates one otherwise', async () => {
  const echoed = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
  expect(echoed.headers.get('x-request-id')).toBe('trace-123');
  const generated = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

it('answers 503 without internal details while the database is down', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-outage-'));
  const database = await startFerretdb({ dataDir, log: () => {} });
  const other = await startApi('outage', { MONGODB_URI: `${database.uri.replace('/?', '/outage?')}` });
  try {
    const { token } = await signUp(other);
    await database.stop();

    const ready = await fetch(`${other.url}/readyz`);
    expect(ready.status).toBe(503);

    const error = await other.client(token).tasks.list.query().then(
      () => null,
      (caught: unknown) => caught as TRPCClientError<AppRouter>,
    );
    expect(error?.data?.code).toBe('SERVICE_UNAVAILABLE');
    expect(error?.data?.httpStatus).toBe(503);
    expect(error?.data?.retryAfterSeconds).toBe(5);
    expect(error?.message).toBe('The database is unavailable; retry in 5 seconds.');
    expect(JSON.stringify(error?.data)).not.toContain('127.0.0.1');
  } finally {
    await other.app.server.close();
    await other.app.database.close().catch(() => {});
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
