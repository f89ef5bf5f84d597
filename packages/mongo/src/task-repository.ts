import { priorityRank, type Task } from '@taskwire/domain';
import type { TaskListQuery, TaskRepository } from '@taskwire/application';
import { rawCollection, type Models, type TaskDoc } from './models.js';
import { isDuplicateKeyError } from './errors.js';
import { toObjectId } from './ids.js';
import { buildTaskListQuery } from './task-list-query.js';

export function toTask(doc: TaskDoc): Task {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    description: doc.description ?? null,
    state: doc.state,
    priority: doc.priority,
    creatorId: doc.creatorId.toHexString(),
    assigneeId: doc.assigneeId ? doc.assigneeId.toHexString() : null,
    dueAt: doc.dueAt ?? null,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toDoc(task: Task): TaskDoc {
  return {
    _id: toObjectId(task.id)!,
    title: task.title,
    description: task.description,
    state: task.state,
    priority: task.priority,
    priorityRank: priorityRank[task.priority],
    creatorId: toObjectId(task.creatorId)!,
    assigneeId: task.assigneeId === null ? null : toObjectId(task.assigneeId),
    dueAt: task.dueAt,
    version: task.version,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

export class MongoTaskRepository implements TaskRepository {
  constructor(private readonly models: Models) {}

  async findById(id: string): Promise<Task | null> {
    const objectId = toObjectId(id);
    if (!objectId) return null;
    const doc = await this.models.Task.findById(objectId).lean<TaskDoc>().exec();
    return doc ? toTask(doc) : null;
  }

  /**
   * Replace the document with the snapshot unless it already has this
   * version or a newer one. On servers where the version filter and the
   * write are not atomic, an older snapshot can still land last; readers
   * then find the newer committed event and apply it again.
   */
  async applySnapshot(task: Task): Promise<void> {
    const doc = toDoc(task);
    try {
      await rawCollection(this.models.Task).replaceOne({ _id: doc._id, version: { $lt: task.version } }, doc, { upsert: true });
    } catch (error) {
      // The upsert found no older document but the id exists: it is at this version or newer.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async remove(id: string): Promise<void> {
    const objectId = toObjectId(id);
    if (objectId) await rawCollection(this.models.Task).deleteOne({ _id: objectId });
  }

  async list(query: TaskListQuery): Promise<{ tasks: Task[]; totalCount: number }> {
    const { filter, countFilter, sort } = buildTaskListQuery(query);
    const { window } = query;
    const find = this.models.Task.find(filter).sort(sort);
    if (window.kind === 'offset') find.skip((window.page - 1) * window.perPage).limit(window.perPage);
    else find.limit(window.limit);
    const [docs, totalCount] = await Promise.all([find.lean<TaskDoc[]>().exec(), this.models.Task.countDocuments(countFilter).exec()]);
    return { tasks: docs.map(toTask), totalCount };
  }
}
