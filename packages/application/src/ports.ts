import type { Actor, Page, PageRequest, Role, Task, TaskEvent, TaskState, TaskVisibility, User, UserStatus } from '@taskwire/domain';

/** A stored user with the fields that never leave the application layer. */
export interface UserRecord extends User {
  passwordHash: string;
  status: UserStatus;
}

/**
 * One change to who a user is for access checks: a role or status change
 * (`active` false while the user is being deleted), or a deletion.
 */
export interface UserAccessChange {
  userId: string;
  role: Role;
  active: boolean;
  deleted: boolean;
  changedAt: Date;
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
  /** An active user by normalized email; null when missing or being deleted. */
  findByEmail(normalizedEmail: string): Promise<UserRecord | null>;
  /** An active user; null when missing or being deleted, so nothing new can refer to such a user. */
  findById(id: string): Promise<User | null>;
  /** A stored user in any status. */
  findRecordById(id: string): Promise<UserRecord | null>;
  /** Active users, oldest first. */
  list(page: PageRequest): Promise<Page<User>>;
  /** Set the role and `updatedAt`; null when the user does not exist. */
  setRole(id: string, role: Role, at: Date): Promise<User | null>;
  /** Set the status and `updatedAt`; false when the user does not exist. */
  setStatus(id: string, status: UserStatus, at: Date): Promise<boolean>;
  /** Record a deletion marker for the access caches, then remove the user document. */
  remove(id: string, at: Date): Promise<void>;
  /**
   * Role, status and deletion changes stamped at or after `since`, oldest
   * first. API nodes poll this to refresh their access caches.
   */
  accessChangesSince(since: Date): Promise<UserAccessChange[]>;
}

/** Queries over tasks that refer to a user, for the restrict and nullify rules of user deletion. */
export interface UserTaskReferences {
  countCreatedBy(userId: string): Promise<number>;
  /** Ids of tasks whose stored document names the user as assignee. */
  listAssignedTo(userId: string, limit: number): Promise<string[]>;
}

/** Clears a task's assignment through the event log, so the change is recorded with its actor. */
export interface TaskUnassigner {
  /** Unassign the task if it is still assigned to `userId`; false when it was not (any more). */
  unassignIfAssignedTo(actor: Actor, taskId: string, userId: string): Promise<boolean>;
}

export interface RevokedToken {
  tokenId: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date;
}

export interface RevokedTokenStore {
  /** Record the revocation; revoking a token twice is not an error. */
  revoke(token: RevokedToken): Promise<void>;
  /** Revocations stamped at or after `since`, oldest first. */
  revokedSince(since: Date): Promise<RevokedToken[]>;
}

/**
 * Revokes tokens. The composition root implements it by storing the
 * revocation and updating the local access cache at once, so the node that
 * served the logout never accepts the token again.
 */
export interface TokenRevocation {
  revoke(token: RevokedToken): Promise<void>;
}

/** Tells the local access cache about a user change this node made, ahead of the next poll. */
export interface AccessChangeListener {
  userChanged(change: UserAccessChange): void;
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
