import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@taskwire/trpc';
import { uniqueDatabaseUri } from '../../../../tests/support/database.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export const TEST_JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export interface RunningApi {
  url: string;
  app: App;
  databaseUri: string;
  /** A tRPC client for this server, authenticated when a token is given. */
  client(token?: string, options?: { batch?: boolean }): ReturnType<typeof createTRPCClient<AppRouter>>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Run against this API's database, as a second node of one deployment; closing it leaves the database in place. */
  shareDatabaseWith?: RunningApi;
}

/**
 * Start the real API on an ephemeral loopback port against a fresh database.
 * Rate limits are raised far above what a test sends unless `env` sets them.
 */
export async function startApi(label: string, env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningApi> {
  const databaseUri = options.shareDatabaseWith?.databaseUri ?? uniqueDatabaseUri(label);
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: databaseUri,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'taskwire-api-')),
    RATE_LIMIT_ANONYMOUS: '1000000',
    RATE_LIMIT_USER: '1000000',
    RATE_LIMIT_ADMIN: '1000000',
    ...env,
  });
  const app = await createApp(config);
  const url = await app.server.listen({ host: '127.0.0.1', port: 0 });

  return {
    url,
    app,
    databaseUri,
    client(token, options = {}) {
      const linkOptions = {
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => (token === undefined ? {} : { authorization: `Bearer ${token}` }),
      };
      return createTRPCClient<AppRouter>({ links: [options.batch === false ? httpLink(linkOptions) : httpBatchLink(linkOptions)] });
    },
    async close() {
      if (!options.shareDatabaseWith) await app.database.connection.dropDatabase().catch(() => {});
      await app.close();
    },
  };
}

let counter = 0;

/** Register a fresh member and log in; returns the user, token and an authenticated client. */
export async function signUp(api: RunningApi, name = 'Test User') {
  counter += 1;
  const email = `user${counter}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const user = await api.client().auth.register.mutate({ email, password, name });
  const { token } = await api.client().auth.login.mutate({ email, password });
  return { user, email, password, token, client: api.client(token) };
}

/**
 * Register a user and give it `role` by writing the database directly, as an
 * operator would, then log in so the token carries the role.
 */
export async function signUpAs(api: RunningApi, role: 'admin' | 'manager' | 'member', name = `Test ${role}`) {
  const account = await signUp(api, name);
  if (role === 'member') return account;
  const changedAt = new Date();
  await api.app.database.models.User.updateOne({ email: account.email }, { role, updatedAt: changedAt }).exec();
  // Tell this node's access cache at once, as the users service does for changes it makes; other nodes poll.
  api.app.accessCache.userChanged({ userId: account.user.id, role, active: true, deleted: false, changedAt });
  const { token } = await api.client().auth.login.mutate({ email: account.email, password: account.password });
  return { ...account, user: { ...account.user, role }, token, client: api.client(token) };
}

/** Resolve once `check` passes, retrying every 50 ms; reject with its last failure after `budgetMs`. */
export async function eventually<T>(check: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The tRPC error a call rejected with; fails the test when the call succeeded. */
export async function rejectionOf(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCClientError)) throw new Error(`Expected a tRPC error, got ${error === null ? 'success' : String(error)}`);
  return error as TRPCClientError<AppRouter>;
}
