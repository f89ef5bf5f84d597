import { AccessCache, AuthService, IdempotencyService, TaskAssignmentCleaner, TaskService, UsersService } from '@taskwire/application';
import { connectDatabase, createRepositories, newObjectIdString, type Database } from '@taskwire/mongo';
import { JwtTokenService, ScryptPasswordHasher } from '@taskwire/security';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { startAccessPolling } from './access-polling.js';
import type { Config } from './config.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { createLogger } from './logger.js';
import { createRateLimitStore } from './rate-limit.js';
import { buildServer, type Authenticator } from './server.js';
import { startSweeper } from './sweeper.js';

export interface App {
  server: FastifyInstance;
  database: Database;
  logger: Logger;
  accessCache: AccessCache;
  /** Stop accepting requests, let in-flight ones finish, and close the database. */
  close(): Promise<void>;
}

/** The composition root: connect the database, wire repositories into services, and build the HTTP server. */
export async function createApp(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<App> {
  const secret = resolveJwtSecret(config, logger);
  const database = await connectDatabase(config.MONGODB_URI);
  const rateLimitSettings = {
    enabled: config.RATE_LIMIT_ENABLED,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    anonymousMax: config.RATE_LIMIT_ANONYMOUS,
    userMax: config.RATE_LIMIT_USER,
    adminMax: config.RATE_LIMIT_ADMIN,
    redisUrl: config.REDIS_URL,
    redisKeyPrefix: config.REDIS_KEY_PREFIX,
  };
  const rateLimitStore = createRateLimitStore(rateLimitSettings);
  try {
    let indexesReady = false;
    const repositories = createRepositories(database);
    const clock = { now: () => new Date() };
    const ids = { newId: newObjectIdString };
    const tokens = new JwtTokenService({ secret, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
    const hasher = new ScryptPasswordHasher();
    const accessCache = new AccessCache({
      users: repositories.users,
      revokedTokens: repositories.revokedTokens,
      clock,
      tokenHorizonMs: tokens.acceptanceWindowMs,
    });

    const tasks = new TaskService({
      tasks: repositories.tasks,
      events: repositories.events,
      users: repositories.users,
      clock,
      ids,
      onApplyFailure: (error, event) =>
        logger.warn({ err: error, taskId: event.taskId, version: event.version }, 'committed task event not applied; the next read or sweep applies it'),
    });
    const unassigner = new TaskAssignmentCleaner(tasks);
    const services = {
      auth: new AuthService({
        users: repositories.users,
        hasher,
        tokens,
        clock,
        ids,
        revocation: {
          async revoke(token) {
            await repositories.revokedTokens.revoke(token);
            accessCache.tokenRevoked(token);
          },
        },
      }),
      tasks,
      users: new UsersService({ users: repositories.users, references: repositories.userTaskReferences, unassigner, hasher, clock, ids, accessChanges: accessCache }),
      idempotency: new IdempotencyService({ store: repositories.idempotency, clock, ids }),
    };

    // No database read per request: the signature is checked here, and
    // revocations, deletions and role changes come from the polled cache.
    const authenticator: Authenticator = {
      async authenticate(token) {
        const claims = await tokens.verify(token);
        const actor = accessCache.check(claims);
        return { actor, session: { tokenId: claims.tokenId, expiresAt: claims.expiresAt } };
      },
    };

    await database.ensureIndexes();
    await accessCache.refresh();
    const polling = startAccessPolling(accessCache, config.ACCESS_POLL_INTERVAL_MS, logger);

    const server = await buildServer({
      logger,
      services,
      authenticator,
      rateLimit: { ...rateLimitSettings, storeClass: rateLimitStore.storeClass },
      trustedProxies: config.TRUSTED_PROXIES,
      isReady: async () => indexesReady && accessCache.isFresh() && (await database.ping()),
    });
    indexesReady = true;
    const stopSweeper =
      config.SWEEP_INTERVAL_MS > 0
        ? startSweeper({ tasks: services.tasks, idempotency: services.idempotency, logger, intervalMs: config.SWEEP_INTERVAL_MS })
        : async () => {};

    return {
      server,
      database,
      logger,
      accessCache,
      async close() {
        indexesReady = false;
        await stopSweeper();
        await server.close();
        await polling.stop();
        await rateLimitStore.close();
        await database.close();
      },
    };
  } catch (error) {
    await rateLimitStore.close();
    await database.close();
    throw error;
  }
}
