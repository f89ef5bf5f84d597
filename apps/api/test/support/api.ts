import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpBatchLink, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@taskwire/trpc';
import { uniqueDatabaseUri } from '../../../../tests/support/database.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export const TEST_JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export interface RunningApi {
  url: string;
  app: App;
  /** A tRPC client for this server, authenticated when a token is given. */
  client(token?: string, options?: { batch?: boolean }): ReturnType<typeof createTRPCClient<AppRouter>>;
  close(): Promise<void>;
}

/** Start the real API on an ephemeral loopback port against a fresh database. */
export async function startApi(label: string, env: Record<string, string> = {}): Promise<RunningApi> {
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: uniqueDatabaseUri(label),
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'taskwire-api-')),
    ...env,
  });
  const app = await createApp(config);
  const url = await app.server.listen({ host: '127.0.0.1', port: 0 });

  return {
    url,
    app,
    client(token, options = {}) {
      const linkOptions = {
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => (token === undefined ? {} : { authorization: `Bearer ${token}` }),
      };
      return createTRPCClient<AppRouter>({ links: [options.batch === false ? httpLink(linkOptions) : httpBatchLink(linkOptions)] });
    },
    async close() {
      await app.database.connection.dropDatabase().catch(() => {});
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
