import { AppError } from '@taskwire/domain';

/** True for a MongoDB duplicate-key error (code 11000) from any driver call. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

// Driver and mongoose errors that mean the server could not be reached or
// stopped responding, as opposed to rejecting the operation.
const UNAVAILABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function isDatabaseUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // FerretDB on SQLite reports a write lock it could not get in time as SQLITE_BUSY.
  return UNAVAILABLE_ERRORS.has(error.name) || error.message.includes('SQLITE_BUSY');
}

/**
 * Wrap every method of a repository so that an unreachable or unresponsive
 * database surfaces as AppError UNAVAILABLE (HTTP 503 with a retry delay)
 * rather than an internal error carrying the driver's message.
 */
export function withUnavailableErrors<T extends object>(repository: T): T {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...parameters: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          if (!isDatabaseUnavailableError(error)) throw error;
          throw new AppError('UNAVAILABLE', `The database is unavailable; retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`, {
            retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
            cause: error,
          });
        }
      };
    },
  });
}
