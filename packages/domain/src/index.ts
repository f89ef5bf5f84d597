export * from './errors.js';
export * from './events.js';
export * from './pagination.js';
export * from './policy.js';
export * from './task.js';
export * from './text.js';
export * from './user.js';
