export * from './connection.js';
export * from './errors.js';
export * from './idempotency-repository.js';
export * from './ids.js';
export * from './models.js';
export * from './revoked-token-repository.js';
export * from './task-event-repository.js';
export * from './task-list-query.js';
export * from './task-repository.js';
export * from './user-repository.js';
export * from './user-task-references.js';

import type { Database } from './connection.js';
import { withUnavailableErrors } from './errors.js';
import { MongoIdempotencyRepository } from './idempotency-repository.js';
import { MongoTaskEventRepository } from './task-event-repository.js';
import { MongoTaskRepository } from './task-repository.js';
import { MongoRevokedTokenStore } from './revoked-token-repository.js';
import { MongoUserRepository } from './user-repository.js';
import { MongoUserTaskReferences } from './user-task-references.js';

export function createRepositories(database: Database) {
  return {
    users: withUnavailableErrors(new MongoUserRepository(database.models)),
    tasks: withUnavailableErrors(new MongoTaskRepository(database.models)),
    events: withUnavailableErrors(new MongoTaskEventRepository(database.models)),
    idempotency: withUnavailableErrors(new MongoIdempotencyRepository(database.models)),
    revokedTokens: withUnavailableErrors(new MongoRevokedTokenStore(database.models)),
    userTaskReferences: withUnavailableErrors(new MongoUserTaskReferences(database.models)),
  };
}
