import { Schema, type Collection, type Connection, type Model, type Types } from 'mongoose';
import { roles, taskEventTypes, userStatuses, type UserStatus, taskPriorities, taskStates, type FieldChange, type Role, type Task, type TaskEventType, type TaskPriority, type TaskState } from '@taskwire/domain';

export interface UserDoc {
  _id: Types.ObjectId;
  /** Normalized (trimmed, lower-cased) email; uniqueness is case-insensitive through it. */
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  status: UserStatus;
  createdAt: Date;
  /** Changes only with the role or status, so access caches can poll for users changed since a time. */
  updatedAt: Date;
}

export interface RevokedTokenDoc {
  /** The token's `jti`; the unique `_id` makes a repeated logout a no-op. */
  _id: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  revokedAt: Date;
}

/** Marker left when a user is removed, so access caches on every node learn of the deletion. */
export interface DeletedUserDoc {
  _id: Types.ObjectId;
  role: Role;
  deletedAt: Date;
}

export interface TaskDoc {
  _id: Types.ObjectId;
  title: string;
  description: string | null;
  state: TaskState;
  priority: TaskPriority;
  /** Numeric form of `priority` so sorting follows low < normal < high < urgent. */
  priorityRank: number;
  creatorId: Types.ObjectId;
  assigneeId: Types.ObjectId | null;
  dueAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface TaskEventDoc {
  /** `<taskId>:<version>`, so reading "the event after version n" is an `_id` lookup on every server. */
  _id: string;
  taskId: Types.ObjectId;
  version: number;
  type: TaskEventType;
  actorId: Types.ObjectId | null;
  at: Date;
  changes: FieldChange[];
  /** The task after this change in its domain form (string ids); null after deletion. */
  snapshot: Task | null;
  /** False until the task document has been written from this event; only the sweeper reads it. */
  applied: boolean;
}

const userSchema = new Schema<UserDoc>(
  {
    email: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true, enum: roles },
    passwordHash: { type: String, required: true },
    status: { type: String, required: true, enum: userStatuses, default: 'active' },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false, strict: 'throw' },
);
// Serves registration's uniqueness check and login's lookup by email.
userSchema.index({ email: 1 }, { unique: true });
// Serves the access caches' poll for users whose role or status changed since a time.
userSchema.index({ updatedAt: 1 });
// Serves the admin user list, oldest first.
userSchema.index({ createdAt: 1, _id: 1 });

const revokedTokenSchema = new Schema<RevokedTokenDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, required: true },
  },
  { collection: 'revoked_tokens', versionKey: false, strict: 'throw' },
);
// Serves the access caches' poll for revocations since a time.
revokedTokenSchema.index({ revokedAt: 1 });

const deletedUserSchema = new Schema<DeletedUserDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, required: true, enum: roles },
    deletedAt: { type: Date, required: true },
  },
  { collection: 'deleted_users', versionKey: false, strict: 'throw' },
);
// Serves the access caches' poll for deletions since a time.
deletedUserSchema.index({ deletedAt: 1 });

const taskSchema = new Schema<TaskDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, default: null },
    state: { type: String, required: true, enum: taskStates },
    priority: { type: String, required: true, enum: taskPriorities },
    priorityRank: { type: Number, required: true },
    creatorId: { type: Schema.Types.ObjectId, required: true },
    assigneeId: { type: Schema.Types.ObjectId, default: null },
    dueAt: { type: Date, default: null },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tasks', versionKey: false, strict: 'throw' },
);
// Task list indexes. Lists sort by one of four keys with _id as the tie
// breaker, in either direction (an index serves both). Each sort key gets:
//   { <key>, _id }             admin and manager lists, filtered by state,
//                              date ranges or title, and cursor pages
//   { creatorId, <key>, _id }  a member's own tasks (one branch of the
//                              visibility $or) and the creator filter
//   { assigneeId, <key>, _id } tasks assigned to a member (the other branch)
//                              and the assignee filter, including unassigned
// State, date ranges and title are checked on the documents the index
// returns in order, because no prefix with them could also serve the sort.
for (const key of ['createdAt', 'updatedAt', 'priorityRank', 'dueAt'] as const) {
  taskSchema.index({ [key]: -1, _id: -1 });
  taskSchema.index({ creatorId: 1, [key]: -1, _id: -1 });
  taskSchema.index({ assigneeId: 1, [key]: -1, _id: -1 });
}

const taskEventSchema = new Schema<TaskEventDoc>(
  {
    _id: { type: String, required: true },
    taskId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    type: { type: String, required: true, enum: taskEventTypes },
    actorId: { type: Schema.Types.ObjectId, default: null },
    at: { type: Date, required: true },
    changes: { type: Schema.Types.Mixed, required: true },
    snapshot: { type: Schema.Types.Mixed, default: null },
    applied: { type: Boolean, required: true },
  },
  { collection: 'task_events', versionKey: false, strict: 'throw' },
);
// The arbiter between concurrent writers: exactly one insert of version n+1
// for a task succeeds. It also serves a task's history in version order.
taskEventSchema.index({ taskId: 1, version: 1 }, { unique: true });
// Serves the sweeper's search for events whose task document was never
// written (applied false, older than a grace period, oldest first). Applied
// events drop out of the `applied: false` range, so the sweeper never
// rescans the whole log.
taskEventSchema.index({ applied: 1, at: 1 });

export interface IdempotencyKeyDoc {
  _id: Types.ObjectId;
  /** The owner's user id as a string, or `anonymous` for public procedures. */
  userId: string;
  key: string;
  operation: string;
  fingerprint: string;
  state: 'pending' | 'completed';
  /** superjson-serialized response, stored as a string so its keys never reach the query language. */
  response: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const idempotencyKeySchema = new Schema<IdempotencyKeyDoc>(
  {
    userId: { type: String, required: true },
    key: { type: String, required: true },
    operation: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, required: true, enum: ['pending', 'completed'] },
    response: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false, strict: 'throw' },
);
// The arbiter between concurrent requests with the same key (one insert
// wins), and the lookup of a key's record on replay. Keys are per user.
idempotencyKeySchema.index({ userId: 1, key: 1 }, { unique: true });
// Serves the sweeper's deletion of expired keys. It is not a TTL index
// because FerretDB 1.24 rejects the expireAfterSeconds option. The sweeper
// and the expiry check on replay enforce the 24 hours on every server.
idempotencyKeySchema.index({ expiresAt: 1 });

export interface Models {
  User: Model<UserDoc>;
  Task: Model<TaskDoc>;
  TaskEvent: Model<TaskEventDoc>;
  IdempotencyKey: Model<IdempotencyKeyDoc>;
  RevokedToken: Model<RevokedTokenDoc>;
  DeletedUser: Model<DeletedUserDoc>;
}

export function defineModels(connection: Connection): Models {
  return {
    User: connection.models.User ?? connection.model<UserDoc>('User', userSchema),
    Task: connection.models.Task ?? connection.model<TaskDoc>('Task', taskSchema),
    TaskEvent: connection.models.TaskEvent ?? connection.model<TaskEventDoc>('TaskEvent', taskEventSchema),
    IdempotencyKey: connection.models.IdempotencyKey ?? connection.model<IdempotencyKeyDoc>('IdempotencyKey', idempotencyKeySchema),
    RevokedToken: connection.models.RevokedToken ?? connection.model<RevokedTokenDoc>('RevokedToken', revokedTokenSchema),
    DeletedUser: connection.models.DeletedUser ?? connection.model<DeletedUserDoc>('DeletedUser', deletedUserSchema),
  } as Models;
}

/** The driver collection behind a model, typed with the model's document shape. */
export function rawCollection<T extends { _id: unknown }>(model: Model<T>): Collection<T> {
  return model.collection as unknown as Collection<T>;
}
