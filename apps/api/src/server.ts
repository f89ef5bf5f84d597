import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import secureJson from 'secure-json-parse';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { SessionToken } from '@taskwire/application';
import { isAppError, type Actor, type AppError } from '@taskwire/domain';
import { appRouter, toTRPCError, type AppRouter, type Context, type Services } from '@taskwire/trpc';
import { edgeErrorBody } from './edge-errors.js';
import { callCount, maxFor, rateLimitIdentity, weightedKey, type RateLimitSettings } from './rate-limit.js';
import { registerDocs } from './rest/docs.js';
import { registerRest } from './rest/plugin.js';

/** 1 MiB: the largest request body the API accepts. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface Authentication {
  actor: Actor;
  session: SessionToken;
}

export interface Authenticator {
  /** Return the caller for a bearer token, or throw AppError UNAUTHENTICATED. */
  authenticate(token: string): Promise<Authentication>;
}

export interface ServerDeps {
  services: Services;
  authenticator: Authenticator;
  /** True when the database responds and its indexes are built. */
  isReady(): Promise<boolean>;
  logger: FastifyBaseLogger;
  rateLimit: RateLimitSettings & { storeClass: FastifyRateLimitStoreCtor };
  /** Proxy addresses or CIDR ranges whose X-Forwarded-For is believed; empty means the socket address is the client. */
  trustedProxies: string[];
}

type AuthState = { kind: 'none' } | { kind: 'malformed' } | { kind: 'ok'; auth: Authentication } | { kind: 'failed'; error: AppError };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the first onRequest hook; null only before it runs. */
    authState: AuthState | null;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestIdFrom(request: { headers: Record<string, string | string[] | undefined> }): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: deps.logger,
    genReqId: requestIdFrom,
    bodyLimit: BODY_LIMIT_BYTES,
    // Upper bound for a whole request, so a stalled dependency cannot hold sockets forever.
    requestTimeout: 30_000,
    // A list, never `true`: with `true` any client could pick its IP through X-Forwarded-For.
    trustProxy: deps.trustedProxies.length > 0 ? deps.trustedProxies : false,
    // Batched tRPC calls put every procedure name in the path.
    routerOptions: { maxParamLength: 5000 },
  });

  server.decorateRequest('authState', null);

  server.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Verify the token before the rate limiter runs, so its key is a verified user id and never a claim the client made up.
  server.addHook('onRequest', async (request) => {
    request.authState = await authenticate(deps.authenticator, request);
  });

  // tRPC parses bodies and the `input` query parameter itself with JSON.parse,
  // which keeps a `__proto__` key as an own property. Reject such keys, and
  // `constructor.prototype`, before any parsing of ours can act on them.
  server.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/trpc/')) return;
    const query = request.query as Record<string, unknown> | undefined;
    for (const text of [request.body, query?.input]) {
      if (typeof text === 'string') rejectPrototypeKeys(text);
    }
  });

  server.setErrorHandler((error: FastifyError & { retryAfterSeconds?: number }, request, reply) => sendError(error, request, reply));

  const limits = deps.rateLimit;
  if (limits.enabled) {
    await server.register(rateLimit, {
      global: true,
      timeWindow: limits.windowMs,
      store: limits.storeClass,
      enableDraftSpec: true,
      keyGenerator: (request) => weightedKey(callCount(request), rateLimitIdentity(actorOf(request), request.ip)),
      max: (request) => maxFor(limits, actorOf(request)),
      errorResponseBuilder: (_request, context) => {
        const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return Object.assign(new Error(`Rate limit of ${context.max} calls per ${limits.windowMs / 1000} seconds exceeded; retry in ${retryAfterSeconds} seconds.`), {
          statusCode: 429,
          retryAfterSeconds,
        });
      },
    });
  }

  // Probes are polled every few seconds, so they are neither logged nor rate limited.
  const probe = { logLevel: 'silent', config: { rateLimit: false } } as const;
  server.get('/healthz', probe, async () => ({ status: 'ok' }));
  server.get('/readyz', probe, async (_request, reply) => {
    const ready = await deps.isReady();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });

  async function createContext({ req }: { req: FastifyRequest }): Promise<Context> {
    const base = { requestId: req.id, log: req.log, services: deps.services, session: null };
    const state = req.authState ?? { kind: 'none' };
    switch (state.kind) {
      case 'none':
        return { ...base, actor: null, authError: null };
      case 'malformed':
        return { ...base, actor: null, authError: 'The Authorization header must have the form "Bearer <token>".' };
      case 'failed':
        if (state.error.code === 'UNAUTHENTICATED') return { ...base, actor: null, authError: state.error.message };
        // Errors thrown here bypass the procedure middleware, so map them to their status now.
        throw toTRPCError(state.error);
      case 'ok':
        req.log = req.log.child({ userId: state.auth.actor.userId, role: state.auth.actor.role });
        return { ...base, log: req.log, actor: state.auth.actor, session: state.auth.session, authError: null };
    }
  }

  await server.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext,
      onError({ error, path, req }) {
        const fields = { err: error.cause ?? error, path, code: error.code };
        // Expected failures (bad input, denied, conflicts) are info; an outage is a warning; anything else is a defect.
        if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error(fields, 'procedure failed');
        else if (error.code === 'SERVICE_UNAVAILABLE') req.log.warn(fields, 'procedure failed: a dependency is unavailable');
        else req.log.info(fields, 'procedure rejected the request');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  await registerRest(server, { router: appRouter, createContext });
  registerDocs(server, appRouter);

  return server;
}

async function authenticate(authenticator: Authenticator, request: FastifyRequest): Promise<AuthState> {
  const token = bearerToken(request);
  if (token === null) return { kind: 'none' };
  if (token === '') return { kind: 'malformed' };
  try {
    return { kind: 'ok', auth: await authenticator.authenticate(token) };
  } catch (error) {
    if (isAppError(error)) return { kind: 'failed', error };
    throw error;
  }
}

function rejectPrototypeKeys(text: string): void {
  try {
    secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    if (error instanceof SyntaxError && /prototype|constructor/i.test(error.message)) {
      throw Object.assign(new Error('Invalid input: the keys __proto__ and constructor.prototype are not allowed in JSON input.'), { statusCode: 400 });
    }
    // Other syntax errors are left to tRPC, which reports them as PARSE_ERROR.
  }
}

function actorOf(request: FastifyRequest): Actor | null {
  return request.authState?.kind === 'ok' ? request.authState.auth.actor : null;
}

/** Errors raised before tRPC runs (rate limit, body size, parsing), returned in the shape the caller's transport expects. */
function sendError(error: FastifyError & { retryAfterSeconds?: number }, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 500;
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ err: error, status }, 'request rejected');

  let message = status >= 500 ? 'Internal server error.' : error.message;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    message = `The request body is larger than the limit of ${BODY_LIMIT_BYTES} bytes (1 MiB); send a smaller body.`;
  }
  const body = edgeErrorBody({ url: request.url, status, message, retryAfterSeconds: error.retryAfterSeconds ?? null, calls: callCount(request) });
  return reply.code(status).send(body);
}
