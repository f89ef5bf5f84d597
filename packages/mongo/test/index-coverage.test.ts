import { IdempotencyService, TaskService, type TaskListInput } from '@taskwire/application';
import type { Actor } from '@taskwire/domain';
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDatabaseUri } from '../../../tests/support/database.js';
import { connectDatabase, createRepositories, newObjectIdString, type Database } from '../src/index.js';
import { branchesOf, isServed, queriesOf, type IndexKey } from './index-coverage.js';

let database: Database;
const recorded: Array<{ collection: string; command: Record<string, unknown> }> = [];

/**
 * Admin and manager lists filtered only by state, title or both have no
 * field an index could use, so their total count scans the collection.
 * The page itself is still read in index order.
 */
function isAcceptedScan(collection: string, shape: { equality: Set<string>; others: Set<string> }): boolean {
  return collection === 'tasks' && shape.equality.size === 0 && [...shape.others].every((field) => field === 'state' || field === 'title');
}

function declaredIndexes(): Map<string, IndexKey[]> {
  const byCollection = new Map<string, IndexKey[]>();
  for (const model of Object.values(database.models)) {
    const keys: IndexKey[] = [[['_id', 1]]];
    for (const [fields] of model.schema.indexes()) {
      keys.push(Object.entries(fields).map(([field, direction]) => [field, direction === -1 ? -1 : 1]));
    }
    byCollection.set(model.collection.collectionName, keys);
  }
  return byCollection;
}

beforeAll(async () => {
  database = await connectDatabase(uniqueDatabaseUri('indexes'), { monitorCommands: true });
  await database.ensureIndexes();
  database.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
    const collection = event.command[event.commandName];
    if (typeof collection === 'string') recorded.push({ collection, command: event.command as Record<string, unknown> });
  });
});

afterAll(async () => {
  await database?.connection.dropDatabase().catch(() => {});
  await database?.close();
});

async function exerciseRepositories(): Promise<void> {
  const repositories = createRepositories(database);
  const clock = { now: () => new Date() };
  const ids = { newId: newObjectIdString };
  const tasks = new TaskService({ ...repositories, clock, ids });
  const idempotency = new IdempotencyService({ store: repositories.idempotency, clock, ids });

  const memberId = newObjectIdString();
  await repositories.users.insert({ id: memberId, email: `${memberId}@example.com`, name: 'Member', role: 'member', passwordHash: 'x', createdAt: new Date() });
  const member: Actor = { userId: memberId, role: 'member' };
  const admin: Actor = { userId: newObjectIdString(), role: 'admin' };

  const task = await tasks.create(member, { title: 'Indexed task', dueAt: new Date() });
  await tasks.create(member, { title: 'Second indexed task' });
  await tasks.get(member, task.id);
  await tasks.update(member, task.id, { priority: 'high' });
  await tasks.transition(member, task.id, 'in_progress', 2);
  await tasks.assign(admin, task.id, memberId);
  await tasks.unassign(admin, task.id);
  await tasks.history(member, task.id, { page: 1, perPage: 10 });

  const filters: TaskListInput['filter'][] = [
    {},
    { states: ['todo'] },
    { states: ['todo', 'done'], titleContains: 'index' },
    { assigneeId: memberId },
    { assigneeId: null },
    { creatorId: memberId },
    { createdAt: { from: new Date(0), to: new Date() } },
    { updatedAt: { from: new Date(0) } },
    { titleContains: 'task' },
  ];
  for (const actor of [member, admin]) {
    for (const filter of filters) {
      for (const field of ['createdAt', 'updatedAt', 'priority', 'dueAt'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          const first = await tasks.list(actor, { filter, sort: { field, direction }, perPage: 1 });
          if (first.next_cursor !== null) await tasks.list(actor, { filter, sort: { field, direction }, perPage: 1, cursor: first.next_cursor });
        }
      }
    }
  }

  await tasks.delete(admin, task.id);
  await tasks.history(admin, task.id, { page: 1, perPage: 10 });
  await tasks.repairUnapplied({ minAgeMs: 0 });

  const request = { userId: memberId, key: 'coverage-key', operation: 'tasks.create', fingerprint: 'f' };
  await idempotency.execute(request, async () => 'first');
  await idempotency.execute(request, async () => 'second');
  await idempotency.deleteExpired();
}

describe('index coverage', () => {
  it('serves every repository query from a declared index prefix', { timeout: 120_000 }, async () => {
    await exerciseRepositories();
    const indexes = declaredIndexes();
    const problems: string[] = [];
    let checked = 0;
    for (const { collection, command } of recorded) {
      const declared = indexes.get(collection);
      if (!declared) continue;
      for (const { filter, sort } of queriesOf(command)) {
        for (const shape of branchesOf(filter)) {
          checked += 1;
          if (declared.some((index) => isServed(index, shape, sort)) || isAcceptedScan(collection, shape)) continue;
          problems.push(
            `${collection}: equality [${[...shape.equality]}] others [${[...shape.others]}] sort ${JSON.stringify(sort)} has no index (command ${Object.keys(command)[0]})`,
          );
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect([...new Set(problems)]).toEqual([]);
  });

  it('reports a query that no index serves', () => {
    const byTitle = branchesOf({ title: 'x' });
    expect(byTitle.every((shape) => isServed([['createdAt', -1], ['_id', -1]], shape, []))).toBe(false);
    const unsortedPrefix = branchesOf({ creatorId: 'a' });
    expect(isServed([['creatorId', 1], ['createdAt', -1], ['_id', -1]], unsortedPrefix[0]!, [['updatedAt', -1]])).toBe(false);
    expect(isServed([['creatorId', 1], ['createdAt', -1], ['_id', -1]], unsortedPrefix[0]!, [['createdAt', 1], ['_id', 1]])).toBe(true);
    const memberBranches = branchesOf({ $or: [{ creatorId: 'u' }, { assigneeId: 'u' }] });
    expect(memberBranches).toHaveLength(2);
    expect(isServed([['creatorId', 1], ['createdAt', -1]], memberBranches[1]!, [['createdAt', -1]])).toBe(false);
  });
});
