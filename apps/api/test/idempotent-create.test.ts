import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('idempotent_create');
});

afterAll(async () => {
  await api?.close();
});

it('reruns a keyed create without a second task after a lost record', async () => {
  const { client, user } = await signUp(api);
  const idempotencyKey = randomUUID();
  const first = await client.tasks.create.mutate({ title: 'Created once', idempotencyKey });

  // A process that died after committing the task but before storing the
  // response leaves no usable record; once it is taken over the create runs again.
  await api.app.database.models.IdempotencyKey.deleteMany({}).exec();
  const rerun = await client.tasks.create.mutate({ title: 'Created once', idempotencyKey });

  expect(rerun.id).toBe(first.id);
  expect(rerun.version).toBe(1);
  const stored = await api.app.database.models.Task.countDocuments({ creatorId: new Types.ObjectId(user.id) }).exec();
  expect(stored).toBe(1);
});

it('gives different keys and different users different tasks', async () => {
  const alice = await signUp(api);
  const bob = await signUp(api);
  const key = randomUUID();
  const fromAlice = await alice.client.tasks.create.mutate({ title: 'Same key', idempotencyKey: key });
  const fromBob = await bob.client.tasks.create.mutate({ title: 'Same key', idempotencyKey: key });
  const otherKey = await alice.client.tasks.create.mutate({ title: 'Same key', idempotencyKey: randomUUID() });
  expect(new Set([fromAlice.id, fromBob.id, otherKey.id]).size).toBe(3);
});

it('reports a keyed rerun whose task was deleted', async () => {
  const { client } = await signUp(api);
  const idempotencyKey = randomUUID();
  const task = await client.tasks.create.mutate({ title: 'Soon deleted', idempotencyKey });
  await api.app.database.models.IdempotencyKey.deleteMany({}).exec();
  await api.app.database.models.Task.deleteOne({ _id: new Types.ObjectId(task.id) }).exec();
  await api.app.database.models.TaskEvent.create({
    _id: `${task.id}:2`,
    taskId: new Types.ObjectId(task.id),
    version: 2,
    type: 'task.deleted',
    actorId: null,
    at: new Date(),
    changes: [],
    snapshot: null,
    applied: true,
  });

  const error = await client.tasks.create.mutate({ title: 'Soon deleted', idempotencyKey }).then(
    () => null,
    (caught: { data?: { code?: string }; message: string }) => caught,
  );
  expect(error?.data?.code).toBe('CONFLICT');
  expect(error?.message).toContain('was deleted; send a new key');
});

it('replays user administration and registration by key', async () => {
  const { signUpAs } = await import('./support/api.js');
  const admin = await signUpAs(api, 'admin');
  const member = await signUp(api);
  const idempotencyKey = randomUUID();
  const first = await admin.client.users.setRole.mutate({ id: member.user.id, role: 'manager', idempotencyKey });
  const replay = await admin.client.users.setRole.mutate({ id: member.user.id, role: 'manager', idempotencyKey });
  expect(replay).toEqual(first);
  const reused = await admin.client.users.setRole.mutate({ id: member.user.id, role: 'member', idempotencyKey }).then(
    () => null,
    (caught: { data?: { appCode?: string } }) => caught,
  );
  expect(reused?.data?.appCode).toBe('IDEMPOTENCY_KEY_REUSED');

  const registration = { email: `keyed-${randomUUID()}@example.com`, password: 'correct horse battery', name: 'Keyed', idempotencyKey: randomUUID() };
  const registered = await api.client().auth.register.mutate(registration);
  const again = await api.client().auth.register.mutate(registration);
  expect(again.id).toBe(registered.id);
});
