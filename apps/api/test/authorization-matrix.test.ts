import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '@taskwire/trpc';
import { rejectionOf, signUp, signUpAs, startApi, type RunningApi } from './support/api.js';

type Role = 'admin' | 'manager' | 'member';
type Relation = 'creator' | 'assignee' | 'neither';
/** `ok` succeeded; `listed`/`unlisted` say whether a list showed the task; the rest are tRPC error codes. */
type Outcome = 'ok' | 'listed' | 'unlisted' | 'FORBIDDEN' | 'NOT_FOUND';
type Row = Record<Role, Record<Relation, Outcome>>;

const roles: Role[] = ['admin', 'manager', 'member'];
const relations: Relation[] = ['creator', 'assignee', 'neither'];

function same(outcome: Outcome): Record<Relation, Outcome> {
  return { creator: outcome, assignee: outcome, neither: outcome };
}

/**
 * The expected outcome of every procedure for every role and relation to
 * the task. Rows for procedures that take no task repeat one outcome.
 */
const matrix: Record<string, Row> = {
  'auth.me': { admin: same('ok'), manager: same('ok'), member: same('ok') },
  'auth.logout': { admin: same('ok'), manager: same('ok'), member: same('ok') },
  'tasks.create': { admin: same('ok'), manager: same('ok'), member: same('ok') },
  'tasks.get': {
    admin: same('ok'),
    manager: same('ok'),
    member: { creator: 'ok', assignee: 'ok', neither: 'NOT_FOUND' },
  },
  'tasks.list': {
    admin: same('listed'),
    manager: same('listed'),
    member: { creator: 'listed', assignee: 'listed', neither: 'unlisted' },
  },
  'tasks.update': {
    admin: same('ok'),
    manager: { creator: 'ok', assignee: 'FORBIDDEN', neither: 'FORBIDDEN' },
    member: { creator: 'ok', assignee: 'FORBIDDEN', neither: 'NOT_FOUND' },
  },
  'tasks.transition': {
    admin: same('ok'),
    manager: same('ok'),
    member: { creator: 'ok', assignee: 'ok', neither: 'NOT_FOUND' },
  },
  'tasks.assign': {
    admin: same('ok'),
    manager: same('ok'),
    member: { creator: 'FORBIDDEN', assignee: 'FORBIDDEN', neither: 'NOT_FOUND' },
  },
  'tasks.unassign': {
    admin: same('ok'),
    manager: same('ok'),
    member: { creator: 'FORBIDDEN', assignee: 'FORBIDDEN', neither: 'NOT_FOUND' },
  },
  'tasks.delete': {
    admin: same('ok'),
    manager: same('FORBIDDEN'),
    member: { creator: 'FORBIDDEN', assignee: 'FORBIDDEN', neither: 'NOT_FOUND' },
  },
  'tasks.history': {
    admin: same('ok'),
    manager: same('ok'),
    member: { creator: 'ok', assignee: 'ok', neither: 'NOT_FOUND' },
  },
  'users.list': { admin: same('ok'), manager: same('FORBIDDEN'), member: same('FORBIDDEN') },
  'users.setRole': { admin: same('ok'), manager: same('FORBIDDEN'), member: same('FORBIDDEN') },
  'users.delete': { admin: same('ok'), manager: same('FORBIDDEN'), member: same('FORBIDDEN') },
};

/** Procedures open to callers without a token, so no role or relation changes their outcome. */
const publicProcedures = ['auth.login', 'auth.register'];

type Account = Awaited<ReturnType<typeof signUp>>;

let api: RunningApi;
let owner: Account;
// Sets up assignments; a separate account, so the admin row's own calls stay apart from the setup.
let admin: Account;
const actors = {} as Record<Role, Account>;

beforeAll(async () => {
  api = await startApi('authorization-matrix');
  owner = await signUp(api, 'Owner');
  for (const role of roles) actors[role] = await signUpAs(api, role);
  admin = await signUpAs(api, 'admin', 'Setup admin');
});

afterAll(async () => {
  await api?.close();
});

/** A fresh task in the given relation to the actor. */
async function taskFor(actor: Account, relation: Relation): Promise<string> {
  const creator = relation === 'creator' ? actor : owner;
  const task = await creator.client.tasks.create.mutate({ title: `Task for ${relation}` });
  if (relation === 'assignee') await admin.client.tasks.assign.mutate({ id: task.id, assigneeId: actor.user.id });
  return task.id;
}

type Call = (actor: Account, taskId: string) => Promise<unknown>;

const calls: Record<string, Call> = {
  'auth.me': (actor) => actor.client.auth.me.query(),
  'auth.logout': async (actor) => {
    // Log out a second token, so the actor's own token stays usable for the next rows.
    const { token } = await api.client().auth.login.mutate({ email: actor.email, password: actor.password });
    const role = actor.user.role;
    const fresh = api.client(token);
    await fresh.auth.logout.mutate();
    return role;
  },
  'tasks.create': (actor) => actor.client.tasks.create.mutate({ title: 'Created in the matrix' }),
  'tasks.get': (actor, taskId) => actor.client.tasks.get.query({ id: taskId }),
  'tasks.update': (actor, taskId) => actor.client.tasks.update.mutate({ id: taskId, title: 'Renamed in the matrix' }),
  'tasks.transition': (actor, taskId) => actor.client.tasks.transition.mutate({ id: taskId, to: 'in_progress' }),
  'tasks.assign': (actor, taskId) => actor.client.tasks.assign.mutate({ id: taskId, assigneeId: owner.user.id }),
  'tasks.unassign': (actor, taskId) => actor.client.tasks.unassign.mutate({ id: taskId }),
  'tasks.delete': (actor, taskId) => actor.client.tasks.delete.mutate({ id: taskId }),
  'tasks.history': (actor, taskId) => actor.client.tasks.history.query({ id: taskId }),
  'users.list': (actor) => actor.client.users.list.query(),
  'users.setRole': async (actor) => actor.client.users.setRole.mutate({ id: (await signUp(api)).user.id, role: 'manager' }),
  'users.delete': async (actor) => actor.client.users.delete.mutate({ id: (await signUp(api)).user.id }),
};

async function outcomeOf(procedure: string, actor: Account, taskId: string): Promise<Outcome> {
  if (procedure === 'tasks.list') {
    const page = await actor.client.tasks.list.query({ per_page: 100 });
    return page.data.some((task) => task.id === taskId) ? 'listed' : 'unlisted';
  }
  const call = calls[procedure];
  if (!call) throw new Error(`No call for ${procedure}`);
  try {
    await call(actor, taskId);
    return 'ok';
  } catch (error) {
    const code = (await rejectionOf(Promise.reject(error))).data?.code;
    return code as Outcome;
  }
}

describe('authorization matrix over tRPC', () => {
  it('covers every procedure of the router', () => {
    expect([...Object.keys(matrix), ...publicProcedures].sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  for (const role of roles) {
    for (const relation of relations) {
      it(`${role} as ${relation}`, async () => {
        const actor = actors[role];
        for (const [procedure, row] of Object.entries(matrix)) {
          const taskId = procedure.startsWith('tasks.') ? await taskFor(actor, relation) : '';
          expect(await outcomeOf(procedure, actor, taskId), `${procedure} by ${role} as ${relation}`).toBe(row[role][relation]);
        }
      });
    }
  }
});

/** A REST request for each procedure in the matrix, as a client in another language would send it. */
type RestRequest = { method: string; path: string; body?: unknown; token?: string };
type RestCall = (actor: Account, taskId: string) => Promise<RestRequest>;

const restCalls: Record<string, RestCall> = {
  'auth.me': async () => ({ method: 'GET', path: '/auth/me' }),
  'auth.logout': async (actor) => {
    // Log out a second token, so the actor's own token stays usable for the next rows.
    const { token } = await api.client().auth.login.mutate({ email: actor.email, password: actor.password });
    return { method: 'POST', path: '/auth/logout', token };
  },
  'tasks.create': async () => ({ method: 'POST', path: '/tasks', body: { title: 'Created over REST' } }),
  'tasks.get': async (_actor, taskId) => ({ method: 'GET', path: `/tasks/${taskId}` }),
  'tasks.update': async (_actor, taskId) => ({ method: 'PATCH', path: `/tasks/${taskId}`, body: { title: 'Renamed over REST' } }),
  'tasks.transition': async (_actor, taskId) => ({ method: 'POST', path: `/tasks/${taskId}/transitions`, body: { to: 'in_progress' } }),
  'tasks.assign': async (_actor, taskId) => ({ method: 'PUT', path: `/tasks/${taskId}/assignee`, body: { assigneeId: owner.user.id } }),
  'tasks.unassign': async (_actor, taskId) => ({ method: 'DELETE', path: `/tasks/${taskId}/assignee` }),
  'tasks.delete': async (_actor, taskId) => ({ method: 'DELETE', path: `/tasks/${taskId}` }),
  'tasks.history': async (_actor, taskId) => ({ method: 'GET', path: `/tasks/${taskId}/history` }),
  'users.list': async () => ({ method: 'GET', path: '/users' }),
  'users.setRole': async () => ({ method: 'PUT', path: `/users/${(await signUp(api)).user.id}/role`, body: { role: 'manager' } }),
  'users.delete': async () => ({ method: 'DELETE', path: `/users/${(await signUp(api)).user.id}` }),
};

async function restOutcomeOf(procedure: string, actor: Account, taskId: string): Promise<string> {
  if (procedure === 'tasks.list') {
    const response = await fetch(`${api.url}/api/v1/tasks?per_page=100`, { headers: { authorization: `Bearer ${actor.token}` } });
    const page = (await response.json()) as { data: Array<{ id: string }> };
    return page.data.some((task) => task.id === taskId) ? 'listed' : 'unlisted';
  }
  const call = restCalls[procedure];
  if (!call) throw new Error(`No REST call for ${procedure}`);
  const request = await call(actor, taskId);
  const headers: Record<string, string> = { authorization: `Bearer ${request.token ?? actor.token}` };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${api.url}/api/v1${request.path}`, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  if (response.ok) return 'ok';
  const statusOutcomes: Record<number, Outcome> = { 403: 'FORBIDDEN', 404: 'NOT_FOUND' };
  return statusOutcomes[response.status] ?? `HTTP ${response.status}: ${await response.text()}`;
}

describe('authorization matrix over REST', () => {
  it('has a REST request for every procedure in the matrix', () => {
    expect([...Object.keys(restCalls), 'tasks.list'].sort()).toEqual(Object.keys(matrix).sort());
  });

  for (const role of roles) {
    for (const relation of relations) {
      it(`${role} as ${relation}`, async () => {
        const actor = actors[role];
        for (const [procedure, row] of Object.entries(matrix)) {
          const taskId = procedure.startsWith('tasks.') ? await taskFor(actor, relation) : '';
          expect(await restOutcomeOf(procedure, actor, taskId), `${procedure} by ${role} as ${relation} over REST`).toBe(row[role][relation]);
        }
      });
    }
  }
});
