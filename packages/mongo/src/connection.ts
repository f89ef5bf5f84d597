import mongoose, { type Connection } from 'mongoose';
import { defineModels, type Models } from './models.js';

export interface Database {
  connection: Connection;
  models: Models;
  /** Resolve once every declared index exists; safe to call on every start. */
  ensureIndexes(): Promise<void>;
  /** True when the server responds to a ping within `timeoutMs` (2 s unless set). */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Open a connection with query sanitizing on: `sanitizeFilter` wraps any
 * `$`-prefixed key that reaches a filter in `$eq`, and `strictQuery` drops
 * filter paths that the schema does not declare.
 */
export async function connectDatabase(uri: string, options: { serverSelectionTimeoutMS?: number; monitorCommands?: boolean } = {}): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    autoIndex: false,
    autoCreate: false,
    sanitizeFilter: true,
    // Fail operations at once while disconnected instead of queueing them.
    bufferCommands: false,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
    // A server that stops responding fails requests after this long instead of hanging them.
    socketTimeoutMS: 15_000,
    // Emits commandStarted events on the client, which the index coverage test records.
    monitorCommands: options.monitorCommands ?? false,
  });
  connection.set('strictQuery', true);
  await connection.asPromise();
  const models = defineModels(connection);

  return {
    connection,
    models,
    async ensureIndexes() {
      for (const model of Object.values(models)) {
        await model.createCollection().catch(ignoreExists);
        await model.createIndexes();
      }
    },
    async ping(timeoutMs = 2_000) {
      const db = connection.db;
      if (!db) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const answered = db.command({ ping: 1 }).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([answered, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await connection.close();
    },
  };
}

function ignoreExists(error: unknown): void {
  if ((error as { codeName?: string }).codeName === 'NamespaceExists') return;
  throw error;
}
