import { AppError, type User } from '@taskwire/domain';
import type { NewUser, UserRecord, UserRepository } from '@taskwire/application';
import { rawCollection, type Models, type UserDoc } from './models.js';
import { isDuplicateKeyError } from './errors.js';
import { toObjectId } from './ids.js';

function toUser(doc: UserDoc): User {
  return { id: doc._id.toHexString(), email: doc.email, name: doc.name, role: doc.role, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
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
    return doc ? { ...toUser(doc), passwordHash: doc.passwordHash } : null;
  }

  async findById(id: string): Promise<User | null> {
    const objectId = toObjectId(id);
    if (!objectId) return null;
    const doc = await this.models.User.findById(objectId).lean<UserDoc>().exec();
    return doc ? toUser(doc) : null;
  }
}
