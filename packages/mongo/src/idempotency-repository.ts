import type { IdempotencyRecord, IdempotencyRepository, ReserveResult } from '@taskwire/application';
import { trusted } from 'mongoose';
import { isDuplicateKeyError } from './errors.js';
import { toObjectId } from './ids.js';
import { rawCollection, type IdempotencyKeyDoc, type Models } from './models.js';

function toRecord(doc: IdempotencyKeyDoc): IdempotencyRecord {
  return {
    id: doc._id.toHexString(),
    userId: doc.userId,
    key: doc.key,
    operation: doc.operation,
    fingerprint: doc.fingerprint,
    state: doc.state,
    response: doc.response,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
  };
}

export class MongoIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly models: Models) {}

  async reserve(record: IdempotencyRecord): Promise<ReserveResult> {
    const doc: IdempotencyKeyDoc = {
      _id: toObjectId(record.id)!,
      userId: record.userId,
      key: record.key,
      operation: record.operation,
      fingerprint: record.fingerprint,
      state: record.state,
      response: record.response,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
    };
    try {
      await rawCollection(this.models.IdempotencyKey).insertOne(doc);
      return { status: 'reserved' };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.models.IdempotencyKey.findOne({ userId: record.userId, key: record.key }).lean<IdempotencyKeyDoc>().exec();
    return { status: 'taken', existing: existing ? toRecord(existing) : null };
  }

  async complete(id: string, response: string): Promise<void> {
    await rawCollection(this.models.IdempotencyKey).updateOne({ _id: toObjectId(id)! }, { $set: { state: 'completed', response } });
  }

  async remove(id: string): Promise<void> {
    const objectId = toObjectId(id);
    if (objectId) await rawCollection(this.models.IdempotencyKey).deleteOne({ _id: objectId });
  }

  async deleteExpired(now: Date, limit: number): Promise<number> {
    // deleteMany has no limit, so select a bounded batch of ids first.
    const expired = await this.models.IdempotencyKey.find({ expiresAt: trusted({ $lte: now }) })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .select({ _id: 1 })
      .lean<Array<Pick<IdempotencyKeyDoc, '_id'>>>()
      .exec();
    if (expired.length === 0) return 0;
    const result = await rawCollection(this.models.IdempotencyKey).deleteMany({ _id: { $in: expired.map((doc) => doc._id) } });
    return result.deletedCount;
  }
}
