import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@taskwire/trpc';

/** The error codes the API sends; the HTTP status follows from the code. */
export type TaskwireErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VERSION_CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  /** No response arrived: the server was unreachable or the connection broke. */
  | 'NETWORK_ERROR';

export interface TaskwireFieldIssue {
  path: string;
  message: string;
  rule?: string;
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  appCode?: string | null;
  details?: TaskwireFieldIssue[];
  currentVersion?: number | null;
  retryAfterSeconds?: number | null;
}

const codeForStatus: Record<number, TaskwireErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'IDEMPOTENCY_KEY_REUSED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

function responseOf(error: TRPCClientError<AppRouter>): Response | undefined {
  const response = (error.meta as { response?: unknown } | undefined)?.response;
  return response instanceof Response ? response : undefined;
}

/** Seconds from a Retry-After header: a number of seconds or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * A failed call. Extends tRPC's client error, so `instanceof TRPCClientError`
 * still holds, and adds the API's error code, the HTTP status and how long to
 * wait before retrying.
 */
export class TaskwireError extends TRPCClientError<AppRouter> {
  readonly code: TaskwireErrorCode;
  /** The HTTP status, or null when no response arrived. */
  readonly status: number | null;
  /** Seconds to wait before retrying, from the error body or the Retry-After header. */
  readonly retryAfterSeconds: number | null;
  readonly details: readonly TaskwireFieldIssue[];
  /** The task's current version, for VERSION_CONFLICT. */
  readonly currentVersion: number | null;
  /** How many requests were sent for this call, retries included. */
  readonly attempts: number;

  constructor(original: TRPCClientError<AppRouter>, attempts: number) {
    super(original.message, { result: original.shape ? { error: original.shape } : undefined, cause: original, meta: original.meta });
    // TRPCClientError's constructor resets the prototype to its own, which would break `instanceof TaskwireError`.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'TaskwireError';
    const data = (original.data ?? undefined) as ErrorData | undefined;
    const response = responseOf(original);
    this.status = data?.httpStatus ?? response?.status ?? null;
    this.code = ((data?.appCode ?? undefined) as TaskwireErrorCode | undefined) ?? (this.status === null ? 'NETWORK_ERROR' : (codeForStatus[this.status] ?? 'INTERNAL'));
    this.retryAfterSeconds = data?.retryAfterSeconds ?? parseRetryAfter(response?.headers.get('retry-after'));
    this.details = data?.details ?? [];
    this.currentVersion = data?.currentVersion ?? null;
    this.attempts = attempts;
  }
}

export function isTaskwireError(error: unknown): error is TaskwireError {
  return error instanceof TaskwireError;
}
