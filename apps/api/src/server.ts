import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { isAppError, type Actor } from '@taskwire/domain';
import { appRouter, toTRPCError, type AppRouter, type Context, type Services } from '@taskwire/trpc';

/** 1 MiB: the largest request body the API accepts. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface Authenticator {
  /** Return the caller for a bearer token, or throw AppError UNAUTHENTICATED. */
  authenticate(token: string): Promise<Actor>;
}

export interface ServerDeps {
  services: Services;
  authenticator: Authenticator;
  /** True when the database answers and its indexes are built. */
  isReady(): Promise<boolean>;
  logger: FastifyBaseLogger;
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
    // Batched tRPC calls put every procedure name in the path.
    routerOptions: { maxParamLength: 5000 },
  });

  server.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Probes are polled every few seconds, so they are not logged.
  server.get('/healthz', { logLevel: 'silent' }, async () => ({ status: 'ok' }));
  server.get('/readyz', { logLevel: 'silent' }, async (_request, reply) => {
    const ready = await deps.isReady();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });

  async function createContext({ req }: { req: FastifyRequest }): Promise<Context> {
    const base = { requestId: req.id, log: req.log, services: deps.services };
    const token = bearerToken(req);
    if (token === null) return { ...base, actor: null, authError: null };
    if (token === '') {
      return { ...base, actor: null, authError: 'The Authorization header must have the form "Bearer <token>".' };
    }
    try {
      const actor = await deps.authenticator.authenticate(token);
      req.log = req.log.child({ userId: actor.userId, role: actor.role });
      return { ...base, log: req.log, actor, authError: null };
    } catch (error) {
      if (isAppError(error) && error.code === 'UNAUTHENTICATED') return { ...base, actor: null, authError: error.message };
      // Errors thrown here bypass the procedure middleware, so map them to their status now.
      if (isAppError(error)) throw toTRPCError(error);
      throw error;
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

  return server;
}
