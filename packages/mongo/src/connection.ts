import mongoose, { type Connection } from 'mongoose';
import { defineModels, type Models } from './models.js';

export interface Database {
  connection: Connection;
  models: Models;
  /** Resolve once every declared index exists; safe to call on every start. */
  ensureIndexes(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Open a connection with query sanitizing on: `sanitizeFilter` wraps any
 * `$`-prefixed key that reaches a filter in `$eq`, and `strictQuery` drops
 * filter paths that the schema does not declare.
 */
export async function connectDatabase(uri: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    autoIndex: false,
    autoCreate: false,
    sanitizeFilter: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
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
    async ping() {
      try {
        const db = connection.db;
        if (!db) return false;
        await db.command({ ping: 1 });
        return true;
      } catch {
        return false;
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
