import type { UserTaskReferences } from '@taskwire/application';
import type { Models, TaskDoc } from './models.js';
import { toObjectId } from './ids.js';

export class MongoUserTaskReferences implements UserTaskReferences {
  constructor(private readonly models: Models) {}

  async countCreatedBy(userId: string): Promise<number> {
    const objectId = toObjectId(userId);
    if (!objectId) return 0;
    return this.models.Task.countDocuments({ creatorId: objectId }).exec();
  }

  async listAssignedTo(userId: string, limit: number): Promise<string[]> {
    const objectId = toObjectId(userId);
    if (!objectId) return [];
    const docs = await this.models.Task.find({ assigneeId: objectId }, { _id: 1 }).limit(limit).lean<Pick<TaskDoc, '_id'>[]>().exec();
    return docs.map((doc) => doc._id.toHexString());
  }
}
