import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rejectionOf, signUp, startApi, type RunningApi } from '../../api/test/support/api.js';

const main = resolve(import.meta.dirname, '../dist/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI with `stdin` piped in; the environment carries no password unless `env` sets one. */
function runCli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const { TASKWIRE_ADMIN_PASSWORD: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [main, ...args], { env: { ...inherited, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

let api: RunningApi;
let env: Record<string, string>;

beforeAll(async () => {
  api = await startApi('cli');
  env = { MONGODB_URI: api.databaseUri };
});

afterAll(async () => {
  await api?.close();
});

describe('taskwire create-admin', () => {
  it('creates an admin with the password from stdin', async () => {
    const run = await runCli(['create-admin', '--email', 'Root@Example.com', '--name', 'Root'], { stdin: 'stdin password 123\n', env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created admin root@example\.com \(id [0-9a-f]{24}\)\./);

    const login = await api.client().auth.login.mutate({ email: 'root@example.com', password: 'stdin password 123' });
    expect(login.user).toMatchObject({ role: 'admin', name: 'Root' });
  });

  it('reads the password from TASKWIRE_ADMIN_PASSWORD', async () => {
    const run = await runCli(['create-admin', '--email', 'ops@example.com'], { env: { ...env, TASKWIRE_ADMIN_PASSWORD: 'env password 456' } });
    expect(run.code).toBe(0);
    const login = await api.client().auth.login.mutate({ email: 'ops@example.com', password: 'env password 456' });
    expect(login.user.role).toBe('admin');
  });

  it('promotes an existing member and keeps the password', async () => {
    const member = await signUp(api);
    const run = await runCli(['create-admin', '--email', member.email], { stdin: 'ignored password\n', env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Promoted ${member.email}`);

    const login = await api.client().auth.login.mutate({ email: member.email, password: member.password });
    expect(login.user.role).toBe('admin');
  });

  it('promotes a signed-in member on the running API within 2 seconds', async () => {
    const member = await signUp(api);
    expect((await rejectionOf(member.client.users.list.query())).data?.code).toBe('FORBIDDEN');

    const run = await runCli(['create-admin', '--email', member.email], { stdin: 'ignored password\n', env });
    expect(run.code).toBe(0);
    // The member's existing token now acts as an admin, once the API's access cache polls the change.
    const page = await eventually(() => member.client.users.list.query(), 2000);
    expect(page.meta.total_count).toBeGreaterThan(0);
  });

  it('rejects a password given as an argument', async () => {
    const run = await runCli(['create-admin', '--email', 'argv@example.com', '--password', 'secret password'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--password is not accepted');
    expect(await api.app.database.models.User.findOne({ email: 'argv@example.com' }).lean().exec()).toBeNull();
  });

  it('rejects a short password naming the bounds', async () => {
    const run = await runCli(['create-admin', '--email', 'short@example.com'], { stdin: 'short\n', env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must be 8 to 256 characters; got 5');
  });

  it('rejects a missing or malformed email', async () => {
    const missing = await runCli(['create-admin'], { stdin: 'long enough password\n', env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email is required');
    const malformed = await runCli(['create-admin', '--email', 'not-an-email'], { stdin: 'long enough password\n', env });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('"not-an-email" is not an email address');
  });

  it('names a missing MONGODB_URI', async () => {
    const { MONGODB_URI: _unset, ...rest } = process.env;
    const run = await runCli(['create-admin', '--email', 'nodb@example.com'], { stdin: 'long enough password\n', env: { ...rest, MONGODB_URI: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MONGODB_URI is not set');
  });

  it('rejects an unknown command', async () => {
    const run = await runCli(['drop-everything']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "drop-everything"');
  });
});
