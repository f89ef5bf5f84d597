import { initTRPC } from '@trpc/server';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiMeta } from '@taskwire/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiDocument } from '../src/rest/docs.js';
import { registerRest } from '../src/rest/plugin.js';
import { rest } from './support/rest.js';

// A router with the field kinds that the task procedures do not have yet
// (booleans in a query, an idempotency key), served through the same bridge.
const t = initTRPC.meta<ApiMeta>().create();
const received: unknown[] = [];

const filterInput = z.strictObject({ done: z.boolean().optional(), limit: z.number().int().min(0).optional() });
const createInput = z.strictObject({ name: z.string(), idempotencyKey: z.string().max(64).optional() });
const removeInput = z.strictObject({ id: z.string(), idempotencyKey: z.string().max(64).optional() });

const router = t.router({
  filter: t.procedure
    .meta({ openapi: { method: 'GET', path: '/items' } })
    .input(filterInput)
    .output(z.object({ received: z.unknown() }))
    .query(({ input }) => ({ received: input })),
  create: t.procedure
    .meta({ openapi: { method: 'POST', path: '/items' } })
    .input(createInput)
    .output(z.object({ received: z.unknown() }))
    .mutation(({ input }) => {
      received.push(input);
      return { received: input };
    }),
  remove: t.procedure
    .meta({ openapi: { method: 'DELETE', path: '/items/{id}' } })
    .input(removeInput)
    .output(z.object({ received: z.unknown() }))
    .mutation(({ input }) => ({ received: input })),
});
const caller = t.createCallerFactory(router)({});

let server: FastifyInstance;
let base: string;

beforeAll(async () => {
  server = Fastify();
  await registerRest(server, { router, createContext: async () => ({}) });
  base = `${await server.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
});

afterAll(async () => {
  await server?.close();
});

describe('REST query parsing', () => {
  it('parses true and false exactly', async () => {
    expect((await rest(base, 'GET', '/items?done=false')).body).toEqual({ received: { done: false } });
    expect((await rest(base, 'GET', '/items?done=true')).body).toEqual({ received: { done: true } });
    expect((await rest(base, 'GET', '/items?limit=0')).body).toEqual({ received: { limit: 0 } });
  });

  it('rejects booleans and numbers in other spellings', async () => {
    for (const query of ['done=False', 'done=0', 'done=1', 'done=yes', 'done=', 'limit=abc', 'limit=1e2', 'limit=%20']) {
      const response = await rest(base, 'GET', `/items?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('VALIDATION_FAILED');
      expect(response.body.error.details).toHaveLength(1);
    }
  });

  it('keeps tRPC strict after REST calls', async () => {
    expect((await rest(base, 'GET', '/items?done=true&limit=3')).status).toBe(200);
    await expect(caller.filter({ done: 'false' as unknown as boolean })).rejects.toThrow(/expected boolean/);
    await expect(caller.filter({ limit: '3' as unknown as number })).rejects.toThrow(/expected number/);
    expect(filterInput.safeParse({ done: 'false' }).success).toBe(false);
  });
});

describe('Idempotency-Key header', () => {
  it('becomes the idempotencyKey input of a POST', async () => {
    const response = await rest(base, 'POST', '/items', { body: { name: 'one' }, headers: { 'idempotency-key': 'key-123' } });
    expect(response.status).toBe(200);
    expect(response.body.received).toEqual({ name: 'one', idempotencyKey: 'key-123' });
  });

  it('becomes the idempotencyKey input of a DELETE', async () => {
    const response = await rest(base, 'DELETE', '/items/abc', { headers: { 'idempotency-key': 'key-456' } });
    expect(response.body.received).toEqual({ id: 'abc', idempotencyKey: 'key-456' });
  });

  it('is named as the header when invalid', async () => {
    const response = await rest(base, 'POST', '/items', { body: { name: 'three' }, headers: { 'idempotency-key': 'k'.repeat(65) } });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['Idempotency-Key']);
    expect(response.body.error.message).toContain('Idempotency-Key');
  });

  it('is absent from the input without the header', async () => {
    const response = await rest(base, 'POST', '/items', { body: { name: 'two' } });
    expect(response.body.received).toEqual({ name: 'two' });
  });

  it('is not read on GET', async () => {
    const response = await rest(base, 'GET', '/items?done=true', { headers: { 'idempotency-key': 'key-789' } });
    expect(response.body.received).toEqual({ done: true });
  });
});

describe('OpenAPI idempotency header', () => {
  it('documents the header in place of the field', () => {
    const document = openApiDocument(router) as unknown as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>;
    };
    const create = document.paths['/items']?.post;
    expect(create?.parameters?.map((parameter) => `${parameter.in} ${parameter.name}`)).toEqual(['header Idempotency-Key']);
    expect(Object.keys(create?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual(['name']);

    const remove = document.paths['/items/{id}']?.delete;
    expect(remove?.parameters?.map((parameter) => `${parameter.in} ${parameter.name}`)).toEqual(['path id', 'header Idempotency-Key']);

    const filter = document.paths['/items']?.get;
    expect(filter?.parameters?.map((parameter) => parameter.name)).toEqual(['done', 'limit']);
  });
});
