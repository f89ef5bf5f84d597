import { AuthService, IdempotencyService, TaskService } from '@taskwire/application';
import { AppError } from '@taskwire/domain';
import { connectDatabase, createRepositories, newObjectIdString, type Database } from '@taskwire/mongo';
import { JwtTokenService, ScryptPasswordHasher } from '@taskwire/security';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { createLogger } from './logger.js';
import { buildServer, type Authenticator } from './server.js';
import { startSweeper } from './sweeper.js';

export interface App {
  server: FastifyInstance;
  database: Database;
  logger: Logger;
  /** Stop accepting requests, let in-flight ones finish, and close the database. */
  close(): Promise<void>;
}

/** The composition root: connect the database, wire repositories into services, and build the HTTP server. */
export async function createApp(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<App> {
  const secret = resolveJwtSecret(config, logger);
  const database = await connectDatabase(config.MONGODB_URI);
  try {
    let indexesReady = false;
    const repositories = createRepositories(database);
    const clock = { now: () => new Date() };
    const ids = { newId: newObjectIdString };
    const tokens = new JwtTokenService({ secret, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });

    const services = {
      auth: new AuthService({ users: repositories.users, hasher: new ScryptPasswordHasher(), tokens, clock, ids }),
      tasks: new TaskService({ tasks: repositories.tasks, events: repositories.events, users: repositories.users, clock, ids }),
      idempotency: new IdempotencyService({ store: repositories.idempotency, clock, ids }),
    };

    const authenticator: Authenticator = {
      async authenticate(token) {
        const verified = await tokens.verify(token);
        // TODO: replace this per-request read with the revocation and role cache.
        const user = await repositories.users.findById(verified.userId);
        if (!user) throw new AppError('UNAUTHENTICATED', 'The account for this access token no longer exists.');
        return { userId: user.id, role: user.role };
      },
    };

    const server = await buildServer({
      logger,
      services,
      authenticator,
      isReady: async () => indexesReady && (await database.ping()),
    });

    await database.ensureIndexes();
    indexesReady = true;
    const stopSweeper =
      config.SWEEP_INTERVAL_MS > 0
        ? startSweeper({ tasks: services.tasks, idempotency: services.idempotency, logger, intervalMs: config.SWEEP_INTERVAL_MS })
        : async () => {};

    return {
      server,
      database,
      logger,
      async close() {
        indexesReady = false;
        await stopSweeper();
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
