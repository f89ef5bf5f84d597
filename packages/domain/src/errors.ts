/**
 * The fixed list of error codes that services raise. Every transport maps a
 * code through `errorCodeTable`, so a failure has the same meaning over tRPC,
 * REST and WebSocket.
 */
export const errorCodeTable = {
  VALIDATION_FAILED: { trpc: 'BAD_REQUEST', http: 400 },
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', http: 401 },
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403 },
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  CONFLICT: { trpc: 'CONFLICT', http: 409 },
  VERSION_CONFLICT: { trpc: 'CONFLICT', http: 409 },
  IDEMPOTENCY_KEY_REUSED: { trpc: 'UNPROCESSABLE_CONTENT', http: 422 },
  PAYLOAD_TOO_LARGE: { trpc: 'PAYLOAD_TOO_LARGE', http: 413 },
  RATE_LIMITED: { trpc: 'TOO_MANY_REQUESTS', http: 429 },
  UNAVAILABLE: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', http: 500 },
} as const;

export type ErrorCode = keyof typeof errorCodeTable;

/** One invalid input value: where it is, which rule it broke, and what was sent. */
export interface FieldIssue {
  path: string;
  message: string;
  rule?: string;
}

export interface AppErrorOptions {
  details?: readonly FieldIssue[];
  /** Current version of the resource, carried by VERSION_CONFLICT. */
  currentVersion?: number;
  /** Seconds to wait before retrying, carried by RATE_LIMITED and UNAVAILABLE. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** The one error type that services throw for expected failures. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly FieldIssue[];
  readonly currentVersion: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? [];
    this.currentVersion = options.currentVersion;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static validation(path: string, message: string, rule?: string): AppError {
    const issue: FieldIssue = rule === undefined ? { path, message } : { path, message, rule };
    return new AppError('VALIDATION_FAILED', `Invalid ${path}: ${message}`, { details: [issue] });
  }

  static notFound(resource: string, id: string): AppError {
    return new AppError('NOT_FOUND', `${resource} ${id} was not found.`);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
