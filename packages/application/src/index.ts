export * from './auth-service.js';
export * from './ports.js';
export * from './task-service.js';
export * from './task-log.js';
export * from './idempotency-service.js';
export * from './task-list.js';
export * from './keyed-queue.js';
