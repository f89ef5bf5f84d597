import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('openapi');
});

afterAll(async () => {
  await api?.close();
});

async function fetchDocument() {
  const response = await fetch(`${api.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/json');
  return (await response.json()) as {
    openapi: string;
    servers: { url: string }[];
    paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };
}

describe('/openapi.json', () => {
  it('passes an OpenAPI validator', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('lists the resource paths under /api/v1', async () => {
    const document = await fetchDocument();
    expect(document.servers[0]?.url).toBe('/api/v1');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /auth/register',
        'POST /auth/login',
        'GET /tasks',
        'POST /tasks',
        'GET /tasks/{id}',
        'PATCH /tasks/{id}',
        'POST /tasks/{id}/transitions',
        'PUT /tasks/{id}/assignee',
        'DELETE /tasks/{id}/assignee',
        'DELETE /tasks/{id}',
        'GET /tasks/{id}/history',
        'POST /auth/logout',
        'GET /auth/me',
        'GET /users',
        'PUT /users/{id}/role',
        'DELETE /users/{id}',
      ]),
    );
  });

  it('marks task operations as needing a bearer token', async () => {
    const document = await fetchDocument();
    expect(document.paths['/tasks']?.get?.security).toEqual([{ Authorization: [] }]);
    expect(document.paths['/auth/login']?.post?.security).toBeUndefined();
  });

  it('documents Idempotency-Key on task mutations', async () => {
    const document = (await fetchDocument()) as unknown as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    for (const [path, method] of [['/tasks', 'post'], ['/tasks/{id}', 'patch'], ['/tasks/{id}/assignee', 'put'], ['/tasks/{id}', 'delete']] as const) {
      const names = document.paths[path]?.[method]?.parameters?.map((parameter) => `${parameter.in} ${parameter.name}`) ?? [];
      expect(names, `${method} ${path}`).toContain('header Idempotency-Key');
      expect(names, `${method} ${path}`).not.toContain('query idempotencyKey');
    }
  });

  it('describes the REST error body', async () => {
    const document = await fetchDocument();
    const errorSchemas = Object.entries(document.components.schemas).filter(([name]) => name.startsWith('error.'));
    expect(errorSchemas.length).toBeGreaterThan(0);
    for (const [, schema] of errorSchemas) {
      expect(Object.keys(schema.properties ?? {})).toEqual(['error']);
    }
  });
});
