import type { RevokedToken, RevokedTokenStore } from '@taskwire/application';
import { trusted } from 'mongoose';
import { rawCollection, type Models, type RevokedTokenDoc } from './models.js';
import { isDuplicateKeyError } from './errors.js';
import { toObjectId } from './ids.js';

// TODO: a maintenance job should delete revocations whose token has expired; nothing removes them yet.
export class MongoRevokedTokenStore implements RevokedTokenStore {
  constructor(private readonly models: Models) {}

  async revoke(token: RevokedToken): Promise<void> {
    const doc: RevokedTokenDoc = { _id: token.tokenId, userId: toObjectId(token.userId)!, expiresAt: token.expiresAt, revokedAt: token.revokedAt };
    try {
      await rawCollection(this.models.RevokedToken).insertOne(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async revokedSince(since: Date): Promise<RevokedToken[]> {
    const docs = await this.models.RevokedToken.find({ revokedAt: trusted({ $gte: since }) })
      .sort({ revokedAt: 1 })
      .lean<RevokedTokenDoc[]>()
      .exec();
    return docs.map((doc) => ({ tokenId: doc._id, userId: doc.userId.toHexString(), expiresAt: doc.expiresAt, revokedAt: doc.revokedAt }));
  }
}
