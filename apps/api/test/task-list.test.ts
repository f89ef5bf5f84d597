import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, signUp, signUpAs, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('list');
});

afterAll(async () => {
  await api?.close();
});

describe('tasks.list filters', () => {
  it('filters by state, assignee, creator and title', async () => {
    const member = await signUp(api);
    const manager = await signUpAs(api, 'manager');
    const helper = await signUp(api);
    const c = member.client;
    const todo = await c.tasks.create.mutate({ title: 'Fix (urgent) bug [v2]' });
    const started = await c.tasks.create.mutate({ title: 'Write docs' });
    await c.tasks.transition.mutate({ id: started.id, to: 'in_progress' });
    const finished = await c.tasks.create.mutate({ title: 'Release notes' });
    await c.tasks.transition.mutate({ id: finished.id, to: 'done' });
    await manager.client.tasks.assign.mutate({ id: started.id, assigneeId: helper.user.id });

    const ids = async (input: Parameters<typeof c.tasks.list.query>[0]) => (await c.tasks.list.query(input)).data.map((task) => task.id).sort();

    expect(await ids({ state: 'todo' })).toEqual([todo.id]);
    expect(await ids({ state: ['in_progress', 'done'] })).toEqual([started.id, finished.id].sort());
    expect(await ids({ assignee: helper.user.id })).toEqual([started.id]);
    expect(await ids({ assignee: null })).toEqual([todo.id, finished.id].sort());
    expect(await ids({ assignee: 'unassigned' })).toEqual([todo.id, finished.id].sort());
    expect(await ids({ creator: member.user.id, state: 'done' })).toEqual([finished.id]);
    expect(await ids({ title: '(URGENT) BUG [v' })).toEqual([todo.id]);
    // Regex metacharacters are matched literally.
    expect(await ids({ title: '.*' })).toEqual([]);

    const other = await ids({ creator: manager.user.id });
    expect(other).toEqual([]);
  });

  it('filters by created and updated ranges', async () => {
    const { client } = await signUp(api);
    const early = await client.tasks.create.mutate({ title: 'Early task' });
    const late = await client.tasks.create.mutate({ title: 'Late task' });
    const touched = await client.tasks.update.mutate({ id: early.id, priority: 'high' });

    const created = await client.tasks.list.query({ createdFrom: late.createdAt, createdTo: late.createdAt });
    expect(created.data.map((task) => task.id)).toEqual([late.id]);
    const updated = await client.tasks.list.query({ updatedFrom: touched.updatedAt });
    expect(updated.data.map((task) => task.id)).toEqual([early.id]);
    const none = await client.tasks.list.query({ createdTo: new Date(early.createdAt.getTime() - 1) });
    expect(none.meta.total_count).toBe(0);
  });

  it('sorts by priority and due date in both directions', async () => {
    const { client } = await signUp(api);
    const low = await client.tasks.create.mutate({ title: 'Low task', priority: 'low', dueAt: new Date('2031-01-01T00:00:00Z') });
    const urgent = await client.tasks.create.mutate({ title: 'Urgent task', priority: 'urgent' });
    const normal = await client.tasks.create.mutate({ title: 'Normal task', priority: 'normal', dueAt: new Date('2030-01-01T00:00:00Z') });

    const byPriority = await client.tasks.list.query({ sort: 'priority', order: 'desc' });
    expect(byPriority.data.map((task) => task.id)).toEqual([urgent.id, normal.id, low.id]);
    const byPriorityAsc = await client.tasks.list.query({ sort: 'priority', order: 'asc' });
    expect(byPriorityAsc.data.map((task) => task.id)).toEqual([low.id, normal.id, urgent.id]);
    // MongoDB orders a missing due date before every date.
    const byDue = await client.tasks.list.query({ sort: 'dueAt', order: 'asc' });
    expect(byDue.data.map((task) => task.id)).toEqual([urgent.id, normal.id, low.id]);

    // Walk one task per page, so each cursor carries a null or a date. Two
    // tasks without a due date make the id tie-break among nulls matter.
    const undated = await client.tasks.create.mutate({ title: 'Undated task', priority: 'low' });
    const walk = async (order: 'asc' | 'desc') => {
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.tasks.list.query({ sort: 'dueAt', order, per_page: 1, ...(cursor === undefined ? {} : { cursor }) });
        walked.push(...page.data.map((task) => task.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      return walked;
    };
    expect(await walk('desc')).toEqual([low.id, normal.id, undated.id, urgent.id]);
    expect(await walk('asc')).toEqual([urgent.id, undated.id, normal.id, low.id]);
  });

  it("shows members only tasks they created or are assigned", async () => {
    const author = await signUp(api);
    const assignee = await signUp(api);
    const bystander = await signUp(api);
    const manager = await signUpAs(api, 'manager');
    const task = await author.client.tasks.create.mutate({ title: 'Visible to two' });
    await manager.client.tasks.assign.mutate({ id: task.id, assigneeId: assignee.user.id });

    expect((await assignee.client.tasks.list.query()).data.map((item) => item.id)).toEqual([task.id]);
    expect((await bystander.client.tasks.list.query()).data).toEqual([]);
    expect((await bystander.client.tasks.list.query({ creator: author.user.id })).meta.total_count).toBe(0);
    const managerView = await manager.client.tasks.list.query({ creator: author.user.id });
    expect(managerView.data.map((item) => item.id)).toEqual([task.id]);
  });
});

describe('tasks.list cursors', () => {
  it('walks without repeats or gaps while 100 tasks are inserted', { timeout: 90_000 }, async () => {
    const { token } = await signUp(api);
    const client = api.client(token, { batch: false });
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    const before: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      before.push((await client.tasks.create.mutate({ title: `Existing task ${i}`, priority: priorities[i % 4] })).id);
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    let inserted = 0;
    let previous: { rank: number; id: string } | null = null;
    const rank = { low: 0, normal: 1, high: 2, urgent: 3 };
    for (;;) {
      // Insert ten tasks of every priority while the page is read, so new tasks land before and after the cursor.
      const inserts = inserted < 100 ? Array.from({ length: 10 }, (_, i) => client.tasks.create.mutate({ title: `Inserted task ${inserted + i}`, priority: priorities[i % 4] })) : [];
      inserted += inserts.length;
      const [page] = await Promise.all([client.tasks.list.query({ sort: 'priority', order: 'desc', per_page: 6, ...(cursor === undefined ? {} : { cursor }) }), ...inserts]);
      for (const task of page.data) {
        // Strictly descending by (priority, id): nothing repeats or goes backwards.
        if (previous !== null) {
          const current: { rank: number; id: string } = { rank: rank[task.priority], id: task.id };
          const descending = current.rank < previous.rank || (current.rank === previous.rank && current.id < previous.id);
          expect(descending, `${task.id} follows ${previous.id}`).toBe(true);
        }
        previous = { rank: rank[task.priority], id: task.id };
        seen.push(task.id);
      }
      if (page.next_cursor === null) break;
      cursor = page.next_cursor;
    }

    expect(inserted).toBe(100);
    expect(new Set(seen).size).toBe(seen.length);
    const missing = before.filter((id) => !seen.includes(id));
    expect(missing).toEqual([]);
  });

  it('rejects a malformed cursor, a cursor for another sort, and page with cursor', async () => {
    const { client } = await signUp(api);
    for (const title of ['Cursor one', 'Cursor two']) await client.tasks.create.mutate({ title });
    const first = await client.tasks.list.query({ per_page: 1 });
    expect(first.next_cursor).not.toBeNull();

    const malformed = await rejectionOf(client.tasks.list.query({ cursor: 'not-a-cursor' }));
    expect(malformed.data?.code).toBe('BAD_REQUEST');
    expect(malformed.message).toContain('cursor: is not a cursor returned by tasks.list');

    const otherSort = await rejectionOf(client.tasks.list.query({ cursor: first.next_cursor!, sort: 'updatedAt' }));
    expect(otherSort.message).toContain('was issued for sort createdAt desc, not updatedAt desc');

    const both = await rejectionOf(client.tasks.list.query({ cursor: first.next_cursor!, page: 2 }));
    expect(both.message).toContain('cursor: cannot be combined with page');

    const second = await client.tasks.list.query({ per_page: 1, cursor: first.next_cursor! });
    expect(second.meta.current_page).toBeNull();
    expect(second.data[0]?.title).toBe('Cursor one');
  });
});
