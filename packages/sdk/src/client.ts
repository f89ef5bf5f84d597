import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@taskwire/trpc';
import { retryLink, type IdempotencyOptions, type RetryOptions } from './retry-link.js';

type TokenValue = string | null | undefined;

export interface ClientOptions {
  /** The API's base URL, such as `http://127.0.0.1:3000`; tRPC is served below it at `/trpc`. */
  url: string;
  /** A fixed access token from `auth.login`. */
  token?: string;
  /** Returns the current access token before each request; use it when tokens change. */
  getToken?: () => TokenValue | Promise<TokenValue>;
  /** The fetch implementation; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  retry?: RetryOptions;
  idempotency?: IdempotencyOptions;
  /**
   * Reserved for live updates over WebSocket. The API serves no
   * subscriptions yet, so the client accepts this option and ignores it.
   */
  webSocket?: { url?: string };
}

export type TaskwireClient = TRPCClient<AppRouter>;

function trpcUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/trpc') ? trimmed : `${trimmed}/trpc`;
}

/**
 * Creates a typed client for the Taskwire API. Calls are batched over HTTP,
 * mutations carry an idempotency key per call, and rate-limited, unavailable
 * and network failures are retried (see `RetryOptions`). Failures reject with
 * `TaskwireError`.
 */
export function createClient(options: ClientOptions): TaskwireClient {
  if (options.token !== undefined && options.getToken !== undefined) {
    throw new TypeError('createClient: pass either token or getToken, not both.');
  }
  const getToken = options.getToken ?? (() => options.token);

  return createTRPCClient<AppRouter>({
    links: [
      retryLink({ retry: options.retry, idempotency: options.idempotency }),
      httpBatchLink({
        url: trpcUrl(options.url),
        transformer: superjson,
        fetch: options.fetch,
        async headers() {
          const token = await getToken();
          return token ? { ...options.headers, authorization: `Bearer ${token}` } : { ...options.headers };
        },
      }),
    ],
  });
}
