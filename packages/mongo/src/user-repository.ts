import { AppError, pageMeta, type Page, type PageRequest, type Role, type User, type UserStatus } from '@taskwire/domain';
import type { NewUser, UserAccessChange, UserRecord, UserRepository } from '@taskwire/application';
import { trusted } from 'mongoose';
import { rawCollection, type DeletedUserDoc, type Models, type UserDoc } from './models.js';
import { isDuplicateKeyError } from './errors.js';
import { toObjectId } from './ids.js';

function toUser(doc: UserDoc): User {
  return { id: doc._id.toHexString(), email: doc.email, name: doc.name, role: doc.role, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
}

function toRecord(doc: UserDoc): UserRecord {
  return { ...toUser(doc), passwordHash: doc.passwordHash, status: doc.status ?? 'active' };
}

function isActive(doc: UserDoc | null): doc is UserDoc {
  return doc !== null && (doc.status ?? 'active') === 'active';
}

export class MongoUserRepository implements UserRepository {
  constructor(private readonly models: Models) {}

  async insert(user: NewUser): Promise<User> {
    const doc: UserDoc = {
      _id: toObjectId(user.id)!,
      email: user.email,
      name: user.name,
      role: user.role,
      passwordHash: user.passwordHash,
      status: 'active',
      createdAt: user.createdAt,
      updatedAt: user.createdAt,
    };
    try {
      await rawCollection(this.models.User).insertOne(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new AppError('CONFLICT', `Email ${user.email} is already registered; log in instead or use another email.`, {
          details: [{ path: 'email', rule: 'unique', message: 'is already registered' }],
          cause: error,
        });
      }
      throw error;
    }
    return toUser(doc);
  }

  async findByEmail(normalizedEmail: string): Promise<UserRecord | null> {
    const doc = await this.models.User.findOne({ email: normalizedEmail }).lean<UserDoc>().exec();
    return isActive(doc) ? toRecord(doc) : null;
  }

  async findById(id: string): Promise<User | null> {
    const doc = await this.findDoc(id);
    return isActive(doc) ? toUser(doc) : null;
  }

  async findRecordById(id: string): Promise<UserRecord | null> {
    const doc = await this.findDoc(id);
    return doc ? toRecord(doc) : null;
  }

  async list(page: PageRequest): Promise<Page<User>> {
    const filter = { status: 'active' as const };
    const [docs, totalCount] = await Promise.all([
      this.models.User.find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .skip((page.page - 1) * page.perPage)
        .limit(page.perPage)
        .lean<UserDoc[]>()
        .exec(),
      this.models.User.countDocuments(filter).exec(),
    ]);
    return { data: docs.map(toUser), meta: pageMeta(page, totalCount) };
  }

  async setRole(id: string, role: Role, at: Date): Promise<User | null> {
    const objectId = toObjectId(id);
    if (!objectId) return null;
    const doc = await this.models.User.findOneAndUpdate({ _id: objectId, status: 'active' }, { role, updatedAt: at }, { returnDocument: 'after' })
      .lean<UserDoc>()
      .exec();
    return doc ? toUser(doc) : null;
  }

  async setStatus(id: string, status: UserStatus, at: Date): Promise<boolean> {
    const objectId = toObjectId(id);
    if (!objectId) return false;
    const result = await rawCollection(this.models.User).updateOne({ _id: objectId }, { $set: { status, updatedAt: at } });
    return result.matchedCount === 1;
  }

  async remove(id: string, at: Date): Promise<void> {
    const doc = await this.findDoc(id);
    if (!doc) return;
    // The marker is written first: if the process stops in between, caches
    // already treat the user as deleted and a retried deletion finishes the removal.
    const marker: DeletedUserDoc = { _id: doc._id, role: doc.role, deletedAt: at };
    try {
      await rawCollection(this.models.DeletedUser).insertOne(marker);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    await rawCollection(this.models.User).deleteOne({ _id: doc._id });
  }

  async accessChangesSince(since: Date): Promise<UserAccessChange[]> {
    const [changed, deleted] = await Promise.all([
      this.models.User.find({ updatedAt: trusted({ $gte: since }) }, { role: 1, status: 1, updatedAt: 1 })
        .sort({ updatedAt: 1 })
        .lean<Pick<UserDoc, '_id' | 'role' | 'status' | 'updatedAt'>[]>()
        .exec(),
      this.models.DeletedUser.find({ deletedAt: trusted({ $gte: since }) })
        .sort({ deletedAt: 1 })
        .lean<DeletedUserDoc[]>()
        .exec(),
    ]);
    const changes: UserAccessChange[] = [
      ...changed.map((doc) => ({ userId: doc._id.toHexString(), role: doc.role, active: (doc.status ?? 'active') === 'active', deleted: false, changedAt: doc.updatedAt })),
      ...deleted.map((doc) => ({ userId: doc._id.toHexString(), role: doc.role, active: false, deleted: true, changedAt: doc.deletedAt })),
    ];
    return changes.sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  }

  private async findDoc(id: string): Promise<UserDoc | null> {
    const objectId = toObjectId(id);
    if (!objectId) return null;
    return this.models.User.findById(objectId).lean<UserDoc>().exec();
  }
}
