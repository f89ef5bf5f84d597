import { pageMeta, type Page, type PageRequest, type TaskEvent } from '@taskwire/domain';
import type { AppendResult, StoredTaskEvent, TaskEventRepository } from '@taskwire/application';
import { trusted } from 'mongoose';
import { rawCollection, type Models, type TaskEventDoc } from './models.js';
import { isDuplicateKeyError } from './errors.js';
import { toObjectId } from './ids.js';

function eventId(taskId: string, version: number): string {
  return `${taskId}:${version}`;
}

function toEvent(doc: TaskEventDoc): StoredTaskEvent {
  return {
    taskId: doc.taskId.toHexString(),
    version: doc.version,
    type: doc.type,
    actorId: doc.actorId ? doc.actorId.toHexString() : null,
    at: doc.at,
    changes: doc.changes,
    snapshot: doc.snapshot,
    applied: doc.applied,
  };
}

export class MongoTaskEventRepository implements TaskEventRepository {
  constructor(private readonly models: Models) {}

  async append(event: TaskEvent): Promise<AppendResult> {
    const doc: TaskEventDoc = {
      _id: eventId(event.taskId, event.version),
      taskId: toObjectId(event.taskId)!,
      version: event.version,
      type: event.type,
      actorId: event.actorId === null ? null : toObjectId(event.actorId),
      at: event.at,
      changes: event.changes,
      snapshot: event.snapshot,
      applied: false,
    };
    try {
      await rawCollection(this.models.TaskEvent).insertOne(doc);
      return 'appended';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'version_taken';
      throw error;
    }
  }

  async findVersion(taskId: string, version: number): Promise<StoredTaskEvent | null> {
    const doc = await this.models.TaskEvent.findById(eventId(taskId, version)).lean<TaskEventDoc>().exec();
    return doc ? toEvent(doc) : null;
  }

  async findLatest(taskId: string): Promise<StoredTaskEvent | null> {
    const objectId = toObjectId(taskId);
    if (!objectId) return null;
    const doc = await this.models.TaskEvent.findOne({ taskId: objectId }).sort({ version: -1 }).lean<TaskEventDoc>().exec();
    return doc ? toEvent(doc) : null;
  }

  async markApplied(taskId: string, version: number): Promise<void> {
    await rawCollection(this.models.TaskEvent).updateOne({ _id: eventId(taskId, version) }, { $set: { applied: true } });
  }

  async findUnapplied(before: Date, limit: number): Promise<StoredTaskEvent[]> {
    const docs = await this.models.TaskEvent.find({ applied: false, at: trusted({ $lt: before }) })
      .sort({ at: 1 })
      .limit(limit)
      .lean<TaskEventDoc[]>()
      .exec();
    return docs.map(toEvent);
  }

  async findNextVersions(current: ReadonlyArray<{ taskId: string; version: number }>): Promise<TaskEvent[]> {
    if (current.length === 0) return [];
    const ids = current.map(({ taskId, version }) => eventId(taskId, version + 1));
    const docs = await this.models.TaskEvent.find({ _id: trusted({ $in: ids }) }).lean<TaskEventDoc[]>().exec();
    return docs.map(toEvent);
  }

  async listForTask(taskId: string, page: PageRequest): Promise<Page<TaskEvent>> {
    const objectId = toObjectId(taskId);
    if (!objectId) return { data: [], meta: pageMeta(page, 0) };
    const filter = { taskId: objectId };
    const [docs, totalCount] = await Promise.all([
      this.models.TaskEvent.find(filter)
        .sort({ version: 1 })
        .skip((page.page - 1) * page.perPage)
        .limit(page.perPage)
        .lean<TaskEventDoc[]>()
        .exec(),
      this.models.TaskEvent.countDocuments(filter).exec(),
    ]);
    return { data: docs.map(toEvent), meta: pageMeta(page, totalCount) };
  }
}
