import type { Page, PageRequest, Role, Task, TaskEvent, TaskState, TaskVisibility, User } from '@taskwire/domain';

/** A stored user with the secret fields that never leave the application layer. */
export interface UserRecord extends User {
  passwordHash: string;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export interface UserRepository {
  /** Insert a user; rejects with CONFLICT when the normalized email is taken. */
  insert(user: NewUser): Promise<User>;
  findByEmail(normalizedEmail: string): Promise<UserRecord | null>;
  findById(id: string): Promise<User | null>;
}

export type TaskSortField = 'createdAt' | 'updatedAt' | 'priority' | 'dueAt';
export type SortDirection = 'asc' | 'desc';

export interface DateRange {
  /** Inclusive lower bound. */
  from?: Date | undefined;
  /** Inclusive upper bound. */
  to?: Date | undefined;
}

export interface TaskListFilter {
  /** Any of these states; absent for all states. */
  states?: readonly TaskState[] | undefined;
  /** A user id, null for unassigned tasks, absent for any assignee. */
  assigneeId?: string | null | undefined;
  creatorId?: string | undefined;
  createdAt?: DateRange | undefined;
  updatedAt?: DateRange | undefined;
  /** Case-insensitive substring of the title, matched literally. */
  titleContains?: string | undefined;
}

/** Position after the last task of a page: its sort value and id. */
export interface TaskListPosition {
  value: Date | number | null;
  id: string;
}

export interface TaskListQuery {
  visibility: TaskVisibility;
  filter: TaskListFilter;
  sort: { field: TaskSortField; direction: SortDirection };
  /** Offset paging, or keyset paging after a position (null for the first page). */
  window: { kind: 'offset'; page: number; perPage: number } | { kind: 'after'; position: TaskListPosition | null; limit: number };
}

export interface TaskRepository {
  findById(id: string): Promise<Task | null>;
  findByIds(ids: readonly string[]): Promise<Task[]>;
  /**
   * Write the task document from a committed event's snapshot, unless the
   * stored document already has this version or a newer one.
   */
  applySnapshot(task: Task): Promise<void>;
  /** Remove the task document once its deletion event is committed. */
  remove(id: string): Promise<void>;
  list(query: TaskListQuery): Promise<{ tasks: Task[]; totalCount: number }>;
}

export type AppendResult = 'appended' | 'version_taken';

/**
 * A committed event with its bookkeeping flag. `applied` turns true once the
 * task document has been written from the event. Only the sweeper reads it,
 * because readers decide by version numbers.
 */
export interface StoredTaskEvent extends TaskEvent {
  applied: boolean;
}

export interface TaskEventRepository {
  /** Insert the event unapplied; `version_taken` means another writer committed this version first. */
  append(event: TaskEvent): Promise<AppendResult>;
  /** The event with exactly this version, if it was committed. */
  findVersion(taskId: string, version: number): Promise<StoredTaskEvent | null>;
  /** The task's newest event, if it has any. */
  findLatest(taskId: string): Promise<StoredTaskEvent | null>;
  /** For each id, the event one version above the given one, if committed. */
  findNextVersions(current: ReadonlyArray<{ taskId: string; version: number }>): Promise<TaskEvent[]>;
  /** Record that the task document has caught up with this event. */
  markApplied(taskId: string, version: number): Promise<void>;
  /** Unapplied events committed before `before`, oldest first. */
  findUnapplied(before: Date, limit: number): Promise<StoredTaskEvent[]>;
  listForTask(taskId: string, page: PageRequest): Promise<Page<TaskEvent>>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

export interface IssuedToken {
  token: string;
  tokenId: string;
  expiresAt: Date;
}

export interface TokenIssuer {
  issue(user: Pick<User, 'id' | 'role'>): Promise<IssuedToken>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new 24-hex-digit id, the format of a MongoDB ObjectId. */
  newId(): string;
}

export type { TaskState };

/** A stored idempotency key: the first request made with it and, once done, its response. */
export interface IdempotencyRecord {
  id: string;
  /** The caller that owns the key; keys are unique per user. */
  userId: string;
  key: string;
  /** The procedure the key was first used with, such as `tasks.update`. */
  operation: string;
  /** Hash of the operation and its input, to tell a replay from a reused key. */
  fingerprint: string;
  state: 'pending' | 'completed';
  /** The serialized response of a completed request. */
  response: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type ReserveResult = { status: 'reserved' } | { status: 'taken'; existing: IdempotencyRecord | null };

export interface IdempotencyRepository {
  /**
   * Insert a pending record. Its unique (userId, key) lets exactly one of
   * several concurrent requests with the same key reserve it. The others get
   * the record stored under the key, or null if it was deleted in between.
   */
  reserve(record: IdempotencyRecord): Promise<ReserveResult>;
  complete(id: string, response: string): Promise<void>;
  /** Delete one record by its id, so a later reservation can take the key over. */
  remove(id: string): Promise<void>;
  /** Delete up to `limit` records that expired at or before `now`; returns how many were deleted. */
  deleteExpired(now: Date, limit: number): Promise<number>;
}
