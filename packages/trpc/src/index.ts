export type { Context, RequestLogger, Services } from './context.js';
export type { ApiMeta } from './meta.js';
export { appRouter, type AppRouter } from './router.js';
export { createCallerFactory } from './trpc.js';
export { describeIssues, toTRPCError } from './errors.js';
export { fingerprintOf, idempotencyKeyField, idempotencyKeySchema, idempotent } from './idempotency.js';
