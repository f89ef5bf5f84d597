export { createClient, type ClientOptions, type TaskwireClient } from './client.js';
export { TaskwireError, isTaskwireError, parseRetryAfter, type TaskwireErrorCode, type TaskwireFieldIssue } from './errors.js';
export { retryLink, retryDelayMs, acceptsIdempotencyKey, type RetryOptions, type IdempotencyOptions, type RetryLinkOptions } from './retry-link.js';
export type { AppRouter, RouterInputs, RouterOutputs, Task, User } from './types.js';
