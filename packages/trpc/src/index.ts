export type { Context, RequestLogger, Services } from './context.js';
export { appRouter, type AppRouter } from './router.js';
export { createCallerFactory } from './trpc.js';
export { toTRPCError } from './errors.js';
export { fingerprintOf, idempotencyKeyField, idempotencyKeySchema, idempotent } from './idempotency.js';
