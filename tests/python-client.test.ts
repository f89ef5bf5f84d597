import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../apps/api/test/support/api.js';

const run = promisify(execFile);
const script = join(resolve(import.meta.dirname), 'clients', 'python_client.py');

let api: RunningApi;

beforeAll(async () => {
  api = await startApi('python-client');
});

afterAll(async () => {
  await api?.close();
});

/** Registers an account and makes it an admin directly in the users collection. */
async function createAdmin() {
  const email = `admin-${Date.now()}@example.com`;
  const password = 'admin password for python';
  const admin = await api.client().auth.register.mutate({ email, password, name: 'Python Admin' });
  // Bump updatedAt and tell this node's access cache, as the users service does,
  // so the cache does not keep the member role it saw at registration.
  const changedAt = new Date();
  await api.app.database.models.User.updateOne({ _id: admin.id }, { $set: { role: 'admin', updatedAt: changedAt } });
  api.app.accessCache.userChanged({ userId: admin.id, role: 'admin', active: true, deleted: false, changedAt });
  return { email, password };
}

describe('Python standard-library client', () => {
  it('walks register, login, create, list, transition and assign', async () => {
    const admin = await createAdmin();
    const result = await run('python3', [script], {
      env: { ...process.env, TASKWIRE_URL: api.url, TASKWIRE_ADMIN_EMAIL: admin.email, TASKWIRE_ADMIN_PASSWORD: admin.password },
    }).catch((error: { stderr?: string; stdout?: string }) => {
      throw new Error(`python3 failed:\n${error.stderr ?? ''}${error.stdout ?? ''}`);
    });

    const summary = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(summary.replayTaskId).toBe(summary.taskId);
    expect(summary.listedIds).toEqual([summary.taskId]);
    expect(summary.meta).toEqual({ current_page: 1, per_page: 5, total_pages: 1, total_count: 1 });
    expect(summary.movedState).toBe('in_progress');
    expect(summary.badPageCode).toBe('VALIDATION_FAILED');
    expect(summary.badPagePaths).toEqual(['page']);
    expect(summary.assigneeId).toBe(summary.userId);

    const stored = await api.app.database.models.Task.findById(summary.taskId).lean();
    expect(stored?.state).toBe('in_progress');
    expect(String(stored?.assigneeId)).toBe(summary.userId);
    expect(await api.app.database.models.Task.countDocuments({ title: 'Filed from Python' })).toBe(1);
  });
});
