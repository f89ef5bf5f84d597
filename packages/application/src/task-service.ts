import {
  AppError,
  DEFAULT_PER_PAGE,
  allowedTransitionsFor,
  assertTransition,
  authorize,
  authorizeTask,
  canReadDeletedTaskHistory,
  diffTask,
  normalizeDescription,
  normalizeTitle,
  pageMeta,
  taskVisibility,
  toHistoryEntry,
  type Actor,
  type Page,
  type PageMeta,
  type PageRequest,
  type Task,
  type TaskEvent,
  type TaskEventType,
  type TaskHistoryEntry,
  type TaskPriority,
  type TaskState,
} from '@taskwire/domain';
import type {
  Clock,
  IdGenerator,
  SortDirection,
  TaskEventRepository,
  TaskListFilter,
  TaskRepository,
  TaskSortField,
  UserRepository,
} from './ports.js';
import { decodeCursor, encodeCursor, sortValueOf } from './task-list.js';
import { KeyedQueue } from './keyed-queue.js';
import { TaskLog } from './task-log.js';
import { TaskAssignmentCleaner } from './assignment-cleaner.js';

export interface CreateTaskInput {
  title: string;
  description?: string | null | undefined;
  priority?: TaskPriority | undefined;
  dueAt?: Date | null | undefined;
}

export interface UpdateTaskInput {
  title?: string | undefined;
  description?: string | null | undefined;
  priority?: TaskPriority | undefined;
  dueAt?: Date | null | undefined;
}

export interface TaskListInput {
  filter?: TaskListFilter | undefined;
  sort?: { field: TaskSortField; direction: SortDirection } | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
  cursor?: string | undefined;
}

export interface TaskListPage {
  data: TaskView[];
  /** Page metadata; `current_page` is null when paging by cursor. */
  meta: Omit<PageMeta, 'current_page'> & { current_page: number | null };
  /** Cursor for the next page; null when this page was not full, so no tasks follow. */
  next_cursor: string | null;
}

/** A task as the caller sees it: the stored fields plus what the caller may do next. */
export interface TaskView extends Task {
  allowedTransitions: TaskState[];
}

export interface DeletedTask {
  id: string;
  /** The version of the deletion event. */
  version: number;
}

export interface TaskServiceDeps {
  tasks: TaskRepository;
  events: TaskEventRepository;
  users: Pick<UserRepository, 'findById'>;
  clock: Clock;
  ids: IdGenerator;
  /** Attempts for a change sent without an expected version before giving up with CONFLICT. */
  maxWriteAttempts?: number;
  /** Milliseconds to wait before retry number `attempt` (2 or more) after losing a race. */
  retryDelayMs?: (attempt: number) => number;
  /** Queue this process's writes to one task (true unless set); false leaves every race to the unique index. */
  queueWrites?: boolean;
  /** Called when a committed event could not be applied to its task document; the sweeper retries it. */
  onApplyFailure?: (error: unknown, event: TaskEvent) => void;
}

type Decision = { type: TaskEventType; next: Task | null } | null;

/** Events the sweeper examines per call. */
const SWEEP_BATCH = 100;

export class TaskService {
  private readonly maxWriteAttempts: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly log: TaskLog;
  /** Serializes this process's writes to each task; see KeyedQueue. */
  private readonly writers = new KeyedQueue();

  constructor(private readonly deps: TaskServiceDeps) {
    this.maxWriteAttempts = deps.maxWriteAttempts ?? 40;
    this.retryDelayMs = deps.retryDelayMs ?? jitteredBackoff;
    this.log = new TaskLog(deps.tasks, deps.events, deps.onApplyFailure);
  }

  /**
   * Create a task. `options.id` fixes the new task's id, as a keyed
   * idempotent create does. If the same actor already created a task with
   * that id, that task is returned instead of a second one.
   */
  async create(actor: Actor, input: CreateTaskInput, options: { id?: string | undefined } = {}): Promise<TaskView> {
    authorize(actor, 'task.create');
    const now = this.deps.clock.now();
    const task: Task = {
      id: options.id ?? this.deps.ids.newId(),
      title: checkTitle(input.title),
      description: checkDescription(input.description),
      state: 'todo',
      priority: input.priority ?? 'normal',
      creatorId: actor.userId,
      assigneeId: null,
      dueAt: input.dueAt ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const event: TaskEvent = { taskId: task.id, version: 1, type: 'task.created', actorId: actor.userId, at: now, changes: diffTask(null, task), snapshot: task };
    if ((await this.log.commit(event)) === 'version_taken') {
      const existing = options.id === undefined ? null : await this.log.load(task.id);
      if (existing && existing.creatorId === actor.userId) return this.view(actor, existing);
      if (options.id !== undefined && existing === null) {
        throw new AppError('CONFLICT', `The task created earlier with this idempotency key (${task.id}) was deleted; send a new key to create another.`);
      }
      throw new AppError('INTERNAL', `Generated task id ${task.id} is already in use.`);
    }
    // A user deletion marks the account before counting its tasks. A task
    // committed after that count finds its creator inactive here and is
    // withdrawn, so no task outlives its creator.
    if ((await this.deps.users.findById(actor.userId)) === null) {
      await this.change(actor, task.id, undefined, async () => ({ type: 'task.deleted', next: null }));
      throw new AppError('UNAUTHENTICATED', 'Your account is being deleted, so the task was not created.');
    }
    return this.view(actor, task);
  }

  async get(actor: Actor, id: string): Promise<TaskView> {
    const task = await this.log.load(id);
    if (!task) throw AppError.notFound('Task', id);
    authorizeTask(actor, 'read', task);
    return this.view(actor, task);
  }

  /**
   * List the tasks the actor may read. Pages by `page` and `perPage`, or,
   * when `cursor` is sent, by keyset after the cursor's position. Every
   * full page carries `next_cursor` for the following one.
   */
  async list(actor: Actor, input: TaskListInput = {}): Promise<TaskListPage> {
    const sort = { field: input.sort?.field ?? 'createdAt', direction: input.sort?.direction ?? 'desc' } as const;
    const perPage = input.perPage ?? DEFAULT_PER_PAGE;
    const page = input.page ?? 1;
    if (input.cursor !== undefined && input.page !== undefined) {
      throw AppError.validation('cursor', 'cannot be combined with page; send either page or cursor', 'exclusive');
    }
    const window =
      input.cursor === undefined
        ? ({ kind: 'offset', page, perPage } as const)
        : ({ kind: 'after', position: decodeCursor(input.cursor, sort), limit: perPage } as const);

    const { tasks, totalCount } = await this.deps.tasks.list({ visibility: taskVisibility(actor), filter: input.filter ?? {}, sort, window });
    const last = tasks.at(-1);
    const nextCursor = last !== undefined && tasks.length === perPage ? encodeCursor(sort, { value: sortValueOf(last, sort.field), id: last.id }) : null;
    const current = await this.log.catchUpMany(tasks);
    const meta = pageMeta({ page, perPage }, totalCount);
    return {
      data: current.map((task) => this.view(actor, task)),
      meta: input.cursor === undefined ? meta : { ...meta, current_page: null },
      next_cursor: nextCursor,
    };
  }

  async update(actor: Actor, id: string, input: UpdateTaskInput, expectedVersion?: number): Promise<TaskView> {
    const title = input.title === undefined ? undefined : checkTitle(input.title);
    const description = input.description === undefined ? undefined : checkDescription(input.description);
    const task = await this.changeExisting(actor, id, expectedVersion, async (current) => {
      authorizeTask(actor, 'update', current);
      const next: Task = {
        ...current,
        ...(title === undefined ? {} : { title }),
        ...(description === undefined ? {} : { description }),
        ...(input.priority === undefined ? {} : { priority: input.priority }),
        ...(input.dueAt === undefined ? {} : { dueAt: input.dueAt }),
      };
      return { type: 'task.updated', next };
    });
    return this.view(actor, task);
  }

  async transition(actor: Actor, id: string, to: TaskState, expectedVersion?: number): Promise<TaskView> {
    const task = await this.changeExisting(actor, id, expectedVersion, async (current) => {
      authorizeTask(actor, 'transition', current);
      assertTransition(current, to);
      return { type: 'task.transitioned', next: { ...current, state: to } };
    });
    return this.view(actor, task);
  }

  /** Assign the task to an existing user. Assigning it to its current assignee changes nothing. */
  async assign(actor: Actor, id: string, assigneeId: string, expectedVersion?: number): Promise<TaskView> {
    const task = await this.changeExisting(actor, id, expectedVersion, async (current) => {
      authorizeTask(actor, 'assign', current);
      if (current.assigneeId === assigneeId) return null;
      const assignee = await this.deps.users.findById(assigneeId);
      if (!assignee) {
        throw new AppError('VALIDATION_FAILED', `Cannot assign task ${id}: user ${assigneeId} does not exist. Assign it to an existing user's id.`, {
          details: [{ path: 'assigneeId', rule: 'existing_user', message: `user ${assigneeId} does not exist` }],
        });
      }
      return { type: 'task.assigned', next: { ...current, assigneeId } };
    });
    // The assignee may have been marked for deletion between the check above
    // and the commit. Reading it again after the commit closes that gap: a
    // deletion marked before this read is undone here, and one marked after it
    // finds the committed assignment when it clears the user's tasks.
    if (task.assigneeId === assigneeId && (await this.deps.users.findById(assigneeId)) === null) {
      await new TaskAssignmentCleaner(this).unassignIfAssignedTo(actor, id, assigneeId);
      throw new AppError('VALIDATION_FAILED', `Cannot assign task ${id}: user ${assigneeId} was deleted while the task was being assigned.`, {
        details: [{ path: 'assigneeId', rule: 'existing_user', message: `user ${assigneeId} was deleted` }],
      });
    }
    return this.view(actor, task);
  }

  /** Clear the assignee. Unassigning an unassigned task changes nothing. */
  async unassign(actor: Actor, id: string, expectedVersion?: number): Promise<TaskView> {
    const task = await this.changeExisting(actor, id, expectedVersion, async (current) => {
      authorizeTask(actor, 'assign', current);
      if (current.assigneeId === null) return null;
      return { type: 'task.unassigned', next: { ...current, assigneeId: null } };
    });
    return this.view(actor, task);
  }

  /** Delete the task. Its history stays in the event log, readable by admins. */
  async delete(actor: Actor, id: string, expectedVersion?: number): Promise<DeletedTask> {
    const { version } = await this.change(actor, id, expectedVersion, async (current) => {
      authorizeTask(actor, 'delete', current);
      return { type: 'task.deleted', next: null };
    });
    return { id, version };
  }

  /**
   * The task's events in version order. A deleted task's history is
   * readable only by those `canReadDeletedTaskHistory` allows; anyone else
   * gets NOT_FOUND, as for a task that never existed.
   */
  async history(actor: Actor, id: string, page: PageRequest): Promise<Page<TaskHistoryEntry>> {
    const task = await this.log.load(id);
    if (task) {
      authorizeTask(actor, 'read', task);
    } else {
      const latest = await this.deps.events.findLatest(id);
      if (!latest || !canReadDeletedTaskHistory(actor)) throw AppError.notFound('Task', id);
    }
    const events = await this.deps.events.listForTask(id, page);
    return { data: events.data.map(toHistoryEntry), meta: events.meta };
  }

  /**
   * Sweeper step: apply events whose writer stopped before updating the task
   * document. Only events at least `minAgeMs` old are examined, so writers
   * still between their two steps are left to finish. Returns how many
   * events were examined; call again while it returns the batch size.
   */
  async repairUnapplied(options: { minAgeMs?: number; limit?: number } = {}): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - (options.minAgeMs ?? 5_000));
    return this.log.repairUnapplied(before, options.limit ?? SWEEP_BATCH);
  }

  private async changeExisting(actor: Actor, id: string, expectedVersion: number | undefined, decide: (current: Task) => Promise<Decision>): Promise<Task> {
    const { task } = await this.change(actor, id, expectedVersion, decide);
    if (task === null) throw new AppError('INTERNAL', `Task ${id} was deleted by a change that should have kept it.`);
    return task;
  }

  /**
   * Commit one change through the event log. The event for version n+1 is
   * inserted first; its unique (taskId, version) lets exactly one concurrent
   * writer win. A loser re-reads and re-decides after a short random delay,
   * unless the caller sent an expected version, in which case it gets
   * VERSION_CONFLICT with the current version. Returns the task after the
   * change (null once deleted) and its version.
   */
  private async change(
    actor: Actor,
    id: string,
    expectedVersion: number | undefined,
    decide: (current: Task) => Promise<Decision>,
  ): Promise<{ task: Task | null; version: number }> {
    const commit = () => this.commitChange(actor, id, expectedVersion, decide);
    return this.deps.queueWrites === false ? commit() : this.writers.run(id, commit);
  }

  private async commitChange(
    actor: Actor,
    id: string,
    expectedVersion: number | undefined,
    decide: (current: Task) => Promise<Decision>,
  ): Promise<{ task: Task | null; version: number }> {
    for (let attempt = 1; attempt <= this.maxWriteAttempts; attempt += 1) {
      if (attempt > 1) await sleep(this.retryDelayMs(attempt));
      const current = await this.log.load(id);
      if (!current) throw AppError.notFound('Task', id);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        // Hide the version of a task the caller may not read.
        authorizeTask(actor, 'read', current);
        throw versionConflict(current, expectedVersion);
      }
      const decision = await decide(current);
      if (decision === null) return { task: current, version: current.version };
      const changes = diffTask(current, decision.next);
      if (changes.length === 0 && decision.next !== null) return { task: current, version: current.version };

      const now = this.deps.clock.now();
      const version = current.version + 1;
      const next = decision.next === null ? null : { ...decision.next, version, updatedAt: now };
      const outcome = await this.log.commit({ taskId: id, version, type: decision.type, actorId: actor.userId, at: now, changes, snapshot: next });
      if (outcome === 'appended') return { task: next, version };
      if (expectedVersion !== undefined) {
        const latest = await this.log.load(id);
        throw versionConflict(latest ?? { id, version }, expectedVersion);
      }
    }
    throw new AppError('CONFLICT', `Task ${id} is changing too often; gave up after ${this.maxWriteAttempts} attempts. Retry the request.`, {
      retryAfterSeconds: 1,
    });
  }

  private view(actor: Actor, task: Task): TaskView {
    return { ...task, allowedTransitions: allowedTransitionsFor(actor, task) };
  }
}

/** Up to 2^attempt ms, capped at 100 ms, so losers of a race spread out instead of colliding again. */
function jitteredBackoff(attempt: number): number {
  return Math.random() * Math.min(100, 2 ** attempt);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function versionConflict(current: Pick<Task, 'id' | 'version'>, expectedVersion: number): AppError {
  return new AppError(
    'VERSION_CONFLICT',
    `Task ${current.id} is at version ${current.version}, not ${expectedVersion}; fetch it again and reapply your change.`,
    { currentVersion: current.version },
  );
}

function checkTitle(raw: string): string {
  const result = normalizeTitle(raw);
  if (!result.ok) throw AppError.validation('title', result.message, result.rule);
  return result.value;
}

function checkDescription(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const result = normalizeDescription(raw);
  if (!result.ok) throw AppError.validation('description', result.message, result.rule);
  return result.value.length === 0 ? null : result.value;
}
