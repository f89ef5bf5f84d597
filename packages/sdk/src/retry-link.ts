import type { Operation, TRPCClientError, TRPCLink } from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import type { AppRouter } from '@taskwire/trpc';
import { TaskwireError } from './errors.js';

export interface RetryOptions {
  /** Requests per call, the first one included. Default 4; 1 turns retries off. */
  maxAttempts?: number;
  /** Delay before the first retry, in milliseconds, before jitter. Default 250. */
  baseDelayMs?: number;
  /** Largest delay between attempts, in milliseconds. Default 10,000. */
  maxDelayMs?: number;
  /**
   * Largest Retry-After, in seconds, that the client waits for. A longer one
   * fails the call at once with the delay in `retryAfterSeconds`. Default 60.
   */
  maxRetryAfterSeconds?: number;
}

export interface IdempotencyOptions {
  /** Creates the key for one logical mutation. Default `crypto.randomUUID()`. */
  generateKey?: () => string;
  /**
   * Whether the mutation at a procedure path accepts an `idempotencyKey`
   * input field. Default: the task mutations (`tasks.*`); the auth and user
   * procedures reject unknown fields.
   */
  acceptsKey?: (path: string) => boolean;
}

// Every mutation but auth.login (its response is a new secret token that the
// server does not store) and auth.logout (a repeat finds its token revoked).
const KEYED_OUTSIDE_TASKS = new Set(['auth.register', 'users.setRole', 'users.delete']);
export const acceptsIdempotencyKey = (path: string): boolean => path.startsWith('tasks.') || KEYED_OUTSIDE_TASKS.has(path);

type Sleep = (milliseconds: number) => { promise: Promise<void>; cancel(): void };

const defaultSleep: Sleep = (milliseconds) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, milliseconds);
  });
  return { promise, cancel: () => clearTimeout(timer) };
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Adds an idempotency key to a mutation's input once, so every retry of the call sends the same key. */
function withIdempotencyKey(op: Operation, options: Required<IdempotencyOptions>): { op: Operation; keyed: boolean } {
  if (op.type !== 'mutation' || !options.acceptsKey(op.path)) return { op, keyed: false };
  if (op.input === undefined) return { op: { ...op, input: { idempotencyKey: options.generateKey() } }, keyed: true };
  if (!isPlainObject(op.input)) return { op, keyed: false };
  if (typeof op.input.idempotencyKey === 'string') return { op, keyed: true };
  return { op: { ...op, input: { ...op.input, idempotencyKey: options.generateKey() } }, keyed: true };
}

/**
 * Decides whether a failed attempt may be sent again. 429 means the request
 * was rejected before it ran, so any call may repeat it. After a 503 or a
 * lost connection a mutation may already have run, so only queries and
 * mutations carrying an idempotency key are repeated.
 */
function isRetryable(error: TaskwireError, op: Operation, keyed: boolean): boolean {
  if (error.code === 'RATE_LIMITED') return true;
  const safe = op.type === 'query' || keyed;
  return safe && (error.code === 'UNAVAILABLE' || error.code === 'NETWORK_ERROR');
}

/** Exponential backoff with full jitter, or at least Retry-After when the server sent one. */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | null, options: Required<RetryOptions>, random = Math.random): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential * random());
  if (retryAfterSeconds === null) return jittered;
  // Spread clients that received the same Retry-After over a short window after it.
  return retryAfterSeconds * 1000 + Math.round(Math.min(1000, options.baseDelayMs) * random());
}

export interface RetryLinkOptions {
  retry?: RetryOptions;
  idempotency?: IdempotencyOptions;
  /** Replaces the timer, for tests. */
  sleep?: Sleep;
}

/**
 * Creates a tRPC link that adds idempotency keys to mutations, retries 429, 503 and
 * network failures with jittered backoff, and turns every failure into a
 * TaskwireError. Place it before the terminating HTTP link.
 */
export function retryLink(options: RetryLinkOptions = {}): TRPCLink<AppRouter> {
  const retry: Required<RetryOptions> = {
    maxAttempts: Math.max(1, options.retry?.maxAttempts ?? 4),
    baseDelayMs: options.retry?.baseDelayMs ?? 250,
    maxDelayMs: options.retry?.maxDelayMs ?? 10_000,
    maxRetryAfterSeconds: options.retry?.maxRetryAfterSeconds ?? 60,
  };
  const idempotency: Required<IdempotencyOptions> = {
    generateKey: options.idempotency?.generateKey ?? (() => globalThis.crypto.randomUUID()),
    acceptsKey: options.idempotency?.acceptsKey ?? acceptsIdempotencyKey,
  };
  const sleep = options.sleep ?? defaultSleep;

  return () =>
    ({ op: original, next }) =>
      observable((observer) => {
        const { op, keyed } = withIdempotencyKey(original, idempotency);
        let attempt = 0;
        let subscription: Unsubscribable | undefined;
        let pending: ReturnType<Sleep> | undefined;
        let stopped = false;

        const send = () => {
          attempt += 1;
          subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (cause: TRPCClientError<AppRouter>) => {
              const error = new TaskwireError(cause, attempt);
              const tooLong = error.retryAfterSeconds !== null && error.retryAfterSeconds > retry.maxRetryAfterSeconds;
              if (stopped || attempt >= retry.maxAttempts || tooLong || !isRetryable(error, op, keyed)) {
                observer.error(error);
                return;
              }
              pending = sleep(retryDelayMs(attempt, error.retryAfterSeconds, retry));
              void pending.promise.then(() => {
                if (!stopped) send();
              });
            },
          });
        };

        send();
        return () => {
          stopped = true;
          pending?.cancel();
          subscription?.unsubscribe();
        };
      });
}
