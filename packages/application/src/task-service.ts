import {
  AppError,
  allowedTransitionsFor,
  assertTransition,
  authorize,
  authorizeTask,
  diffTask,
  normalizeDescription,
  normalizeTitle,
  pageMeta,
  taskVisibility,
  type Actor,
  type Page,
  type PageRequest,
  type Task,
  type TaskEvent,
  type TaskEventType,
  type TaskPriority,
  type TaskState,
} from '@taskwire/domain';
import type { Clock, IdGenerator, TaskEventRepository, TaskRepository } from './ports.js';

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

/** A task as the caller sees it: the stored fields plus what the caller may do next. */
export interface TaskView extends Task {
  allowedTransitions: TaskState[];
}

export interface TaskServiceDeps {
  tasks: TaskRepository;
  events: TaskEventRepository;
  clock: Clock;
  ids: IdGenerator;
  /** Attempts for a change sent without an expected version before giving up with CONFLICT. */
  maxWriteAttempts?: number;
}

type Decision = { type: TaskEventType; next: Task | null } | null;

export class TaskService {
  private readonly maxWriteAttempts: number;

  constructor(private readonly deps: TaskServiceDeps) {
    this.maxWriteAttempts = deps.maxWriteAttempts ?? 20;
  }

  async create(actor: Actor, input: CreateTaskInput): Promise<TaskView> {
    authorize(actor, 'task.create');
    const now = this.deps.clock.now();
    const task: Task = {
      id: this.deps.ids.newId(),
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
    if ((await this.deps.events.append(event)) === 'version_taken') {
      throw new AppError('INTERNAL', `Generated task id ${task.id} is already in use.`);
    }
    await this.deps.tasks.applySnapshot(task);
    return this.view(actor, task);
  }

  async get(actor: Actor, id: string): Promise<TaskView> {
    const task = await this.load(id);
    if (!task) throw AppError.notFound('Task', id);
    authorizeTask(actor, 'read', task);
    return this.view(actor, task);
  }

  async list(actor: Actor, page: PageRequest): Promise<Page<TaskView>> {
    const { tasks, totalCount } = await this.deps.tasks.list({ ...page, visibility: taskVisibility(actor) });
    const current = await this.catchUpMany(tasks);
    return { data: current.map((task) => this.view(actor, task)), meta: pageMeta(page, totalCount) };
  }

  async update(actor: Actor, id: string, input: UpdateTaskInput, expectedVersion?: number): Promise<TaskView> {
    const title = input.title === undefined ? undefined : checkTitle(input.title);
    const description = input.description === undefined ? undefined : checkDescription(input.description);
    const task = await this.change(actor, id, expectedVersion, (current) => {
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
    const task = await this.change(actor, id, expectedVersion, (current) => {
      authorizeTask(actor, 'transition', current);
      assertTransition(current, to);
      return { type: 'task.transitioned', next: { ...current, state: to } };
    });
    return this.view(actor, task);
  }

  /**
   * Commit one change through the event log. The event for version n+1 is
   * inserted first; its unique (taskId, version) lets exactly one concurrent
   * writer win. A loser re-reads and re-decides, unless the caller sent an
   * expected version, in which case it gets VERSION_CONFLICT. The task
   * document is written after the event; if the process dies in between,
   * the next read or the sweeper applies the event.
   */
  private async change(actor: Actor, id: string, expectedVersion: number | undefined, decide: (current: Task) => Decision): Promise<Task> {
    for (let attempt = 1; attempt <= this.maxWriteAttempts; attempt += 1) {
      const current = await this.load(id);
      if (!current) throw AppError.notFound('Task', id);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        // Hide the version of a task the caller may not read.
        authorizeTask(actor, 'read', current);
        throw versionConflict(current, expectedVersion);
      }
      const decision = decide(current);
      if (decision === null) return current;
      const changes = diffTask(current, decision.next);
      if (changes.length === 0 && decision.next !== null) return current;

      const now = this.deps.clock.now();
      const version = current.version + 1;
      const next = decision.next === null ? null : { ...decision.next, version, updatedAt: now };
      const outcome = await this.deps.events.append({ taskId: id, version, type: decision.type, actorId: actor.userId, at: now, changes, snapshot: next });
      if (outcome === 'appended') {
        if (next === null) await this.deps.tasks.remove(id);
        else await this.deps.tasks.applySnapshot(next);
        return next ?? current;
      }
      if (expectedVersion !== undefined) {
        const latest = await this.load(id);
        throw versionConflict(latest ?? { id, version }, expectedVersion);
      }
    }
    throw new AppError('CONFLICT', `Task ${id} is changing too often; gave up after ${this.maxWriteAttempts} attempts. Retry the request.`);
  }

  /**
   * Read a task and apply any committed events its document has not caught
   * up with (a writer that died between its two steps leaves such events).
   */
  private async load(id: string): Promise<Task | null> {
    let task = await this.deps.tasks.findById(id);
    let version = task?.version ?? 0;
    for (;;) {
      const next = await this.deps.events.findVersion(id, version + 1);
      if (!next) break;
      version = next.version;
      task = next.snapshot;
      if (next.snapshot === null) await this.deps.tasks.remove(id);
      else await this.deps.tasks.applySnapshot(next.snapshot);
    }
    return task;
  }

  private async catchUpMany(tasks: Task[]): Promise<Task[]> {
    const pending = await this.deps.events.findNextVersions(tasks.map((task) => ({ taskId: task.id, version: task.version })));
    if (pending.length === 0) return tasks;
    const stale = new Set(pending.map((event) => event.taskId));
    return Promise.all(tasks.map(async (task) => (stale.has(task.id) ? ((await this.load(task.id)) ?? task) : task)));
  }

  private view(actor: Actor, task: Task): TaskView {
    return { ...task, allowedTransitions: allowedTransitionsFor(actor, task) };
  }
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
