import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';

type TrpcCode = keyof typeof TRPC_ERROR_CODES_BY_KEY;

const trpcCodeByStatus: Record<number, TrpcCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

const appCodeByStatus: Record<number, string> = { 400: 'VALIDATION_FAILED', 413: 'PAYLOAD_TOO_LARGE', 429: 'RATE_LIMITED' };

export interface EdgeError {
  url: string;
  status: number;
  message: string;
  retryAfterSeconds: number | null;
  /** Procedure calls in the request; a batched tRPC request gets one error per call. */
  calls: number;
}

/**
 * The body for an error raised before a procedure runs. tRPC clients get
 * the same shape (and the same `data` fields) as an error from a procedure,
 * so they read `retryAfterSeconds` the same way; other routes get plain JSON.
 */
export function edgeErrorBody(error: EdgeError): unknown {
  const code = trpcCodeByStatus[error.status] ?? 'INTERNAL_SERVER_ERROR';
  const appCode = appCodeByStatus[error.status] ?? (error.status >= 500 ? 'INTERNAL' : null);
  if (!error.url.startsWith('/trpc/')) {
    return { error: { code: appCode ?? code, message: error.message, retryAfterSeconds: error.retryAfterSeconds } };
  }
  const shape = {
    message: error.message,
    code: TRPC_ERROR_CODES_BY_KEY[code],
    data: { code, httpStatus: error.status, appCode, details: [], currentVersion: null, retryAfterSeconds: error.retryAfterSeconds },
  };
  const one = { error: superjson.serialize(shape) };
  const isBatch = /[?&]batch=1(&|$)/.test(error.url);
  return isBatch ? Array.from({ length: error.calls }, () => one) : one;
}
