import { TaskService, type TaskRepository } from '@taskwire/application';
import type { Actor, Task } from '@taskwire/domain';
import { connectDatabase, createRepositories, newObjectIdString, type Database } from '@taskwire/mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDatabaseUri } from '../../../tests/support/database.js';

let database: Database;
let repositories: ReturnType<typeof createRepositories>;
let service: TaskService;
const actor: Actor = { userId: newObjectIdString(), role: 'admin' };
// These tests need no accounts; every creator counts as an active user.
const activeUsers = {
  findById: async (id: string) => ({ id, email: 'admin@example.com', name: 'Admin', role: 'admin' as const, createdAt: new Date(), updatedAt: new Date() }),
};

/** A task repository whose next document write fails, as if the process died right after the event insert. */
class CrashingTaskRepository implements TaskRepository {
  private armed = true;

  constructor(private readonly inner: TaskRepository) {}

  findById(id: string) {
    return this.inner.findById(id);
  }
  list(...args: Parameters<TaskRepository['list']>) {
    return this.inner.list(...args);
  }
  async applySnapshot(task: Task) {
    this.crashOnce();
    await this.inner.applySnapshot(task);
  }
  async remove(id: string) {
    this.crashOnce();
    await this.inner.remove(id);
  }

  private crashOnce(): void {
    if (!this.armed) return;
    this.armed = false;
    throw new Error('simulated crash between the event insert and the document write');
  }
}

const applyFailures: string[] = [];

/**
 * A service whose next document write fails, as if the process stopped
 * between the event insert and the write. The change is committed, so the
 * call succeeds and the failure is reported through onApplyFailure.
 */
function crashingService(): TaskService {
  const deps = {
    ...repositories,
    tasks: new CrashingTaskRepository(repositories.tasks),
    users: activeUsers,
    clock: { now: () => new Date() },
    ids: { newId: newObjectIdString },
    onApplyFailure: (error: unknown) => applyFailures.push((error as Error).message),
  };
  return new TaskService(deps);
}

/** Run a change through a crashing service and check the document write was the step that failed. */
async function interrupted<T>(change: (service: TaskService) => Promise<T>): Promise<T> {
  const before = applyFailures.length;
  const result = await change(crashingService());
  expect(applyFailures.slice(before)).toEqual(['simulated crash between the event insert and the document write']);
  return result;
}

async function storedDocument(id: string) {
  return database.models.Task.findById(id).lean();
}

async function storedEvent(id: string, version: number) {
  return database.models.TaskEvent.findById(`${id}:${version}`).lean();
}

beforeAll(async () => {
  database = await connectDatabase(uniqueDatabaseUri('repair'));
  await database.ensureIndexes();
  repositories = createRepositories(database);
  service = new TaskService({ ...repositories, users: activeUsers, clock: { now: () => new Date() }, ids: { newId: newObjectIdString } });
});

afterAll(async () => {
  await database?.connection.dropDatabase().catch(() => {});
  await database?.close();
});

describe('creator deleted during creation', () => {
  it('withdraws a task whose creator is no longer active', async () => {
    // The creator's account was marked for deletion after the task passed authorization.
    const withdrawing = new TaskService({ ...repositories, users: { findById: async () => null }, clock: { now: () => new Date() }, ids: { newId: newObjectIdString } });
    const error = await withdrawing.create(actor, { title: 'Orphaned on arrival' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });

    const created = await database.models.TaskEvent.findOne({ type: 'task.created', 'snapshot.title': 'Orphaned on arrival' }).lean();
    expect(created).not.toBeNull();
    const taskId = created!.taskId.toHexString();
    expect(await storedDocument(taskId)).toBeNull();
    expect((await storedEvent(taskId, 2))?.type).toBe('task.deleted');
  });
});

describe('crash between event and document', () => {
  it('is repaired by the next read', async () => {
    const task = await service.create(actor, { title: 'Interrupted update' });
    await interrupted((crashing) => crashing.update(actor, task.id, { title: 'Committed but not written' }));

    expect((await storedDocument(task.id))?.version).toBe(1);
    expect((await storedEvent(task.id, 2))?.applied).toBe(false);

    const read = await service.get(actor, task.id);
    expect(read).toMatchObject({ title: 'Committed but not written', version: 2 });
    expect((await storedDocument(task.id))?.title).toBe('Committed but not written');
    expect((await storedEvent(task.id, 2))?.applied).toBe(true);
  });

  it('repairs a task whose creation stopped before its document', async () => {
    await interrupted((crashing) => crashing.create(actor, { title: 'Half-created task' }));
    const [event] = await database.models.TaskEvent.find({ type: 'task.created', 'snapshot.title': 'Half-created task' }).lean();
    expect(event).toBeDefined();
    const taskId = event!.taskId.toHexString();
    expect(await storedDocument(taskId)).toBeNull();

    // Lists read task documents, so the task is missing from them until a read by id or the sweeper writes it.
    const page = await service.list(actor, { page: 1, perPage: 100 });
    expect(page.data.map((task) => task.id)).not.toContain(taskId);
    expect((await service.get(actor, taskId)).title).toBe('Half-created task');
    expect(await storedDocument(taskId)).not.toBeNull();
  });

  it('drops a task from lists once its interrupted deletion is found', async () => {
    const task = await service.create(actor, { title: 'Interrupted deletion' });
    await interrupted((crashing) => crashing.delete(actor, task.id));
    expect(await storedDocument(task.id)).not.toBeNull();

    const page = await service.list(actor, { page: 1, perPage: 100 });
    expect(page.data.map((item) => item.id)).not.toContain(task.id);
    expect(await storedDocument(task.id)).toBeNull();
  });

  it('is repaired by the sweeper when nobody reads the task', async () => {
    const task = await service.create(actor, { title: 'Unread task' });
    await interrupted((crashing) => crashing.transition(actor, task.id, 'in_progress'));

    // Events younger than the grace period belong to writers that may still finish.
    expect(await service.repairUnapplied()).toBe(0);
    expect((await storedDocument(task.id))?.version).toBe(1);

    expect(await service.repairUnapplied({ minAgeMs: 0 })).toBeGreaterThanOrEqual(1);
    const repaired = await storedDocument(task.id);
    expect(repaired).toMatchObject({ state: 'in_progress', version: 2 });
    expect((await storedEvent(task.id, 2))?.applied).toBe(true);
    expect(await service.repairUnapplied({ minAgeMs: 0 })).toBe(0);
  });
});

describe('write retries', () => {
  it('gives up with CONFLICT after the bounded attempts', async () => {
    const task = await service.create(actor, { title: 'Always contended' });
    // Every append loses the race, as if another writer always committed first.
    const events = new Proxy(repositories.events, {
      get(target, property, receiver) {
        if (property === 'append') return async () => 'version_taken';
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const retrying = new TaskService({ ...repositories, users: activeUsers, events, clock: { now: () => new Date() }, ids: { newId: newObjectIdString }, maxWriteAttempts: 3, retryDelayMs: () => 0 });

    const error = await retrying.update(actor, task.id, { title: 'Never lands' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'CONFLICT', retryAfterSeconds: 1 });
    expect((error as Error).message).toContain('gave up after 3 attempts');
    expect((await service.get(actor, task.id)).version).toBe(1);
  });
});
