import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import type { AnyTRPCRouter } from '@trpc/server';
import { fromFastifyError, fromOpenApiFailure, type RestError } from './error-body.js';
import { findOperation, restOperations, type RestOperation } from './operations.js';
import { convertBody, convertQuery } from './request-input.js';

export const REST_BASE_PATH = '/api/v1';

/** Methods whose `Idempotency-Key` header is copied into the procedure's `idempotencyKey` input field. */
const IDEMPOTENT_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const IDEMPOTENCY_FIELD = 'idempotencyKey';

export interface RestOptions {
  router: AnyTRPCRouter;
  createContext(options: { req: FastifyRequest }): Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the REST bridge for a request under its base path. */
    restOperation?: RestOperation;
    /** The URL as received; trpc-to-openapi rewrites `request.url` before it runs the procedure. */
    restUrl?: string;
  }
}

export function sendRestError(reply: FastifyReply, failure: RestError): FastifyReply {
  const retryAfter = failure.body.error.retryAfterSeconds;
  if (retryAfter !== undefined) void reply.header('retry-after', String(Math.ceil(retryAfter)));
  return reply.code(failure.status).type('application/json; charset=utf-8').send(failure.body);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Wraps each query value in a one-element array. trpc-to-openapi 3.3.0
 * drops falsy query values (`0`, `false`, `""`) but unwraps one-element
 * arrays, so the wrapped value reaches the procedure unchanged and
 * `?done=false` does not turn into an absent field.
 */
function wrapQueryValues(query: Record<string, unknown>): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]));
}

/** Rewrites the query or body into typed values and adds the idempotency key from the header. */
function prepareInput(request: FastifyRequest, operation: RestOperation): void {
  const fields = operation.fields;
  if (!fields) return;
  const key = request.headers['idempotency-key'];
  const mapsKey = IDEMPOTENT_METHODS.has(request.method) && typeof key === 'string' && Object.hasOwn(fields, IDEMPOTENCY_FIELD);

  if (request.method === 'GET' || request.method === 'DELETE') {
    const query = convertQuery(isPlainObject(request.query) ? request.query : {}, fields);
    if (mapsKey) query[IDEMPOTENCY_FIELD] = key;
    request.query = wrapQueryValues(query);
    return;
  }
  // A POST, PATCH or PUT without a body (such as a logout) is read as an empty JSON object.
  if (request.body === undefined && request.headers['content-type'] === undefined) {
    request.headers['content-type'] = 'application/json';
    request.body = {};
  }
  if (isPlainObject(request.body)) {
    const body = convertBody(request.body, fields);
    request.body = mapsKey ? { ...body, [IDEMPOTENCY_FIELD]: key } : body;
  }
}

/**
 * Serves every procedure with OpenAPI metadata under /api/v1 through
 * trpc-to-openapi, with one error body for every failure.
 */
export async function registerRest(server: FastifyInstance, options: RestOptions): Promise<void> {
  const operations = restOperations(options.router);

  // NOTE: unknown paths under the base path get the REST error body from the
  // catch-all route below. A server-wide not-found handler was tried and made
  // tRPC requests whose client disconnects early stop before the procedure ran.

  await server.register(async (scope) => {
    scope.setErrorHandler((error: { statusCode?: number; message: string; code?: string; retryAfterSeconds?: number }, request, reply) => {
      const failure = fromFastifyError(error, request.id, reply.getHeader('retry-after')?.toString());
      if (failure.status >= 500) request.log.error({ err: error }, 'REST request failed');
      else request.log.info({ err: error, status: failure.status }, 'REST request rejected');
      return sendRestError(reply, failure);
    });

    scope.addHook('preHandler', async (request) => {
      request.restUrl = request.url;
      const path = (request.url.split('?')[0] ?? '').slice(REST_BASE_PATH.length);
      const operation = findOperation(operations, request.method, path);
      if (!operation) return;
      request.restOperation = operation;
      prepareInput(request, operation);
    });

    // trpc-to-openapi writes its own error body (with a stack trace outside
    // production); replace it before it is sent.
    scope.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        return payload;
      }
      if (isPlainObject(parsed) && 'error' in parsed) return payload;
      const headerFields: Record<string, string> = request.headers['idempotency-key'] === undefined ? {} : { [IDEMPOTENCY_FIELD]: 'Idempotency-Key' };
      const failure = fromOpenApiFailure(reply.statusCode, isPlainObject(parsed) ? parsed : {}, {
        id: request.id,
        method: request.method,
        url: request.restUrl ?? request.url,
        headerFields,
      });
      void reply.code(failure.status);
      const retryAfter = failure.body.error.retryAfterSeconds;
      if (retryAfter !== undefined) void reply.header('retry-after', String(Math.ceil(retryAfter)));
      return JSON.stringify(failure.body);
    });

    await scope.register(fastifyTRPCOpenApiPlugin, {
      basePath: REST_BASE_PATH,
      router: options.router,
      createContext: ({ req }: { req: FastifyRequest }) => options.createContext({ req }),
      onError({ error, path, req }: { error: { code: string; cause?: unknown }; path?: string; req: FastifyRequest }) {
        const fields = { err: error.cause ?? error, path, code: error.code };
        if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error(fields, 'REST procedure failed');
        else req.log.info(fields, 'REST procedure rejected the request');
      },
    });
  });
}
