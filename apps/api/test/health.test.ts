import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.js';

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

it('reports not ready once the database connection is closed', async () => {
  const other = await startApi('health-down');
  await other.app.database.close();
  const ready = await fetch(`${other.url}/readyz`);
  expect(ready.status).toBe(503);
  await other.app.server.close();
});
