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
