import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, signUp, signUpAs, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('users');
});

afterAll(async () => {
  await api?.close();
});

describe('users.list', () => {
  it('pages through users oldest first', async () => {
    const admin = await signUpAs(api, 'admin');
    await signUp(api, 'Second');
    await signUp(api, 'Third');

    const first = await admin.client.users.list.query({ page: 1, per_page: 2 });
    expect(first.meta).toMatchObject({ current_page: 1, per_page: 2 });
    expect(first.data).toHaveLength(2);
    const total = first.meta.total_count;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(first.meta.total_pages).toBe(Math.ceil(total / 2));

    const last = await admin.client.users.list.query({ page: first.meta.total_pages, per_page: 2 });
    expect(last.data.at(-1)?.name).toBe('Third');
  });

  it('never returns password hashes', async () => {
    const admin = await signUpAs(api, 'admin');
    const page = await admin.client.users.list.query();
    for (const user of page.data) expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'role', 'updatedAt']);
  });

  it('is FORBIDDEN for managers and members', async () => {
    for (const role of ['manager', 'member'] as const) {
      const caller = await signUpAs(api, role);
      const error = await rejectionOf(caller.client.users.list.query());
      expect(error.data?.code, role).toBe('FORBIDDEN');
      expect(error.message).toContain(`Role ${role} may not perform users.manage`);
    }
  });
});

describe('users.setRole', () => {
  it('changes the role and bumps updatedAt', async () => {
    const admin = await signUpAs(api, 'admin');
    const member = await signUp(api);
    const updated = await admin.client.users.setRole.mutate({ id: member.user.id, role: 'manager' });
    expect(updated.role).toBe('manager');
    expect(updated.updatedAt.getTime()).toBeGreaterThan(member.user.updatedAt.getTime());

    const stored = await api.app.database.models.User.findById(member.user.id).lean().exec();
    expect(stored?.role).toBe('manager');
  });

  it('applies at once on the same node', async () => {
    const admin = await signUpAs(api, 'admin');
    const member = await signUp(api);
    await admin.client.users.setRole.mutate({ id: member.user.id, role: 'admin' });
    await expect(member.client.users.list.query()).resolves.toMatchObject({ meta: { current_page: 1 } });
  });

  it('rejects demoting yourself', async () => {
    const admin = await signUpAs(api, 'admin');
    const error = await rejectionOf(admin.client.users.setRole.mutate({ id: admin.user.id, role: 'member' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toContain('your own admin role');
  });

  it('reports an unknown user as NOT_FOUND', async () => {
    const admin = await signUpAs(api, 'admin');
    const error = await rejectionOf(admin.client.users.setRole.mutate({ id: '65f0000000000000000000ff', role: 'member' }));
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(error.message).toContain('65f0000000000000000000ff');
  });

  it('rejects an unknown role naming the choices', async () => {
    const admin = await signUpAs(api, 'admin');
    const member = await signUp(api);
    const error = await rejectionOf(admin.client.users.setRole.mutate({ id: member.user.id, role: 'owner' as never }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/role: .*admin.*manager.*member/);
  });
});

describe('users.delete', () => {
  it('deletes a user without tasks and frees the email', async () => {
    const admin = await signUpAs(api, 'admin');
    const member = await signUp(api);
    await expect(admin.client.users.delete.mutate({ id: member.user.id })).resolves.toEqual({ userId: member.user.id, unassignedTaskIds: [] });

    expect(await api.app.database.models.User.findById(member.user.id).lean().exec()).toBeNull();
    const marker = await api.app.database.models.DeletedUser.findById(member.user.id).lean().exec();
    expect(marker?.deletedAt).toBeInstanceOf(Date);

    const login = await rejectionOf(api.client().auth.login.mutate({ email: member.email, password: member.password }));
    expect(login.data?.code).toBe('UNAUTHORIZED');
    await expect(api.client().auth.register.mutate({ email: member.email, password: member.password, name: 'Again' })).resolves.toMatchObject({ email: member.email });
  });

  it('rejects deleting the creator of tasks, naming how many', async () => {
    const admin = await signUpAs(api, 'admin');
    const creator = await signUp(api);
    await creator.client.tasks.create.mutate({ title: 'First plan' });
    await creator.client.tasks.create.mutate({ title: 'Second plan' });

    const error = await rejectionOf(admin.client.users.delete.mutate({ id: creator.user.id }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toContain('created 2 tasks');

    // The rejected deletion leaves the account working.
    const stored = await api.app.database.models.User.findById(creator.user.id).lean().exec();
    expect(stored?.status).toBe('active');
    await expect(creator.client.tasks.list.query()).resolves.toMatchObject({ meta: { total_count: 2 } });
  });

  it('rejects deleting yourself', async () => {
    const admin = await signUpAs(api, 'admin');
    const error = await rejectionOf(admin.client.users.delete.mutate({ id: admin.user.id }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toContain('your own account');
  });

  it('reports an unknown user as NOT_FOUND', async () => {
    const admin = await signUpAs(api, 'admin');
    const error = await rejectionOf(admin.client.users.delete.mutate({ id: '65f0000000000000000000fe' }));
    expect(error.data?.code).toBe('NOT_FOUND');
  });

  it('is FORBIDDEN for a manager', async () => {
    const manager = await signUpAs(api, 'manager');
    const member = await signUp(api);
    const error = await rejectionOf(manager.client.users.delete.mutate({ id: member.user.id }));
    expect(error.data?.code).toBe('FORBIDDEN');
    expect(await api.app.database.models.User.findById(member.user.id).lean().exec()).not.toBeNull();
  });
});

describe('users.delete with assigned tasks', () => {
  it('clears assignments and records each as an unassignment event', async () => {
    const admin = await signUpAs(api, 'admin');
    const assignee = await signUp(api);
    const first = await admin.client.tasks.create.mutate({ title: 'Assigned one' });
    const second = await admin.client.tasks.create.mutate({ title: 'Assigned two' });
    await admin.client.tasks.assign.mutate({ id: first.id, assigneeId: assignee.user.id });
    await admin.client.tasks.assign.mutate({ id: second.id, assigneeId: assignee.user.id });

    const result = await admin.client.users.delete.mutate({ id: assignee.user.id });
    expect(result.unassignedTaskIds.sort()).toEqual([first.id, second.id].sort());

    for (const id of [first.id, second.id]) {
      const task = await admin.client.tasks.get.query({ id });
      expect(task.assigneeId).toBeNull();
      expect(task.version).toBe(3);
      const history = await admin.client.tasks.history.query({ id });
      const last = history.data.at(-1);
      expect(last?.type).toBe('task.unassigned');
      expect(last?.actorId).toBe(admin.user.id);
      expect(last?.changes).toEqual([{ field: 'assigneeId', before: assignee.user.id, after: null }]);
    }
    expect(await api.app.database.models.Task.countDocuments({ assigneeId: assignee.user.id }).exec()).toBe(0);
  });

  it('rejects assigning to a deleted user', async () => {
    const admin = await signUpAs(api, 'admin');
    const member = await signUp(api);
    const task = await admin.client.tasks.create.mutate({ title: 'Needs an owner' });
    await admin.client.users.delete.mutate({ id: member.user.id });

    const error = await rejectionOf(admin.client.tasks.assign.mutate({ id: task.id, assigneeId: member.user.id }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain(member.user.id);
  });

  it('never leaves a task assigned to a user deleted concurrently', async () => {
    const admin = await signUpAs(api, 'admin');
    const manager = await signUpAs(api, 'manager');
    for (let round = 0; round < 3; round += 1) {
      const target = await signUp(api);
      const tasks = await Promise.all(Array.from({ length: 8 }, (_, index) => admin.client.tasks.create.mutate({ title: `Race ${round}-${index}` })));

      const assigns = tasks.map((task) => manager.client.tasks.assign.mutate({ id: task.id, assigneeId: target.user.id }).then(
        () => 'assigned',
        (error: unknown) => error,
      ));
      const [deletion, ...outcomes] = await Promise.all([admin.client.users.delete.mutate({ id: target.user.id }), ...assigns]);
      expect(deletion.userId).toBe(target.user.id);

      for (const outcome of outcomes) {
        if (outcome === 'assigned') continue;
        // A losing assign is rejected because the user is gone, never with a server error.
        expect((outcome as { data?: { code?: string } }).data?.code, String(outcome)).toBe('BAD_REQUEST');
      }
      expect(await api.app.database.models.Task.countDocuments({ assigneeId: target.user.id }).exec(), `round ${round}`).toBe(0);
      for (const task of tasks) {
        const current = await admin.client.tasks.get.query({ id: task.id });
        expect(current.assigneeId, `task ${task.id} in round ${round}`).toBeNull();
      }
    }
  });

  it('never leaves a task whose creator was deleted concurrently', async () => {
    const admin = await signUpAs(api, 'admin');
    for (let round = 0; round < 6; round += 1) {
      const target = await signUp(api);
      const client = api.client(target.token, { batch: false });
      // Staggered creates land before, during and after the deletion's task count.
      const creates = [0, 2, 5, 10, 20, 40].map((delayMs, index) =>
        new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => client.tasks.create.mutate({ title: `Ghost ${round}-${index}` })).then(
          (task) => task.id,
          (error: unknown) => error,
        ),
      );
      const [deletion, ...outcomes] = await Promise.all([
        admin.client.users.delete.mutate({ id: target.user.id }).then(
          () => 'deleted',
          (error: unknown) => error,
        ),
        ...creates,
      ]);

      const stillThere = await api.app.database.models.User.countDocuments({ _id: target.user.id }).exec();
      const createdTasks = await api.app.database.models.Task.countDocuments({ creatorId: target.user.id }).exec();
      if (deletion === 'deleted') {
        // The restrict rule is kept even when creates race the deletion.
        expect(createdTasks, `round ${round}: tasks left by a deleted creator`).toBe(0);
      } else {
        // The deletion lost the race to a committed task, so the user stays.
        expect((deletion as { data?: { code?: string } }).data?.code, String(deletion)).toBe('CONFLICT');
        expect(stillThere).toBe(1);
      }
      for (const outcome of outcomes) {
        if (typeof outcome === 'string') continue;
        expect((outcome as { data?: { code?: string } }).data?.code, String(outcome)).toBe('UNAUTHORIZED');
      }
    }
  });
});
