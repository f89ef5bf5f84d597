import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../apps/api/test/support/api.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const sdkDir = join(root, 'packages', 'sdk');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

let workDir: string;
let projectDir: string;
let api: RunningApi;

beforeAll(async () => {
  if (!existsSync(join(sdkDir, 'dist', 'index.d.ts'))) {
    throw new Error('packages/sdk/dist is missing: build the SDK first (npm run build).');
  }
  workDir = mkdtempSync(join(tmpdir(), 'taskwire-consumer-'));
  projectDir = join(workDir, 'project');
  for (const entry of ['package.json', 'tsconfig.json', 'src']) {
    cpSync(join(root, 'tests', 'sdk-consumer', entry), join(projectDir, entry), { recursive: true });
  }

  const packed = await run('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: sdkDir });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  // The SDK comes from the tarball; its dependencies come from the npm cache when present.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(workDir, filename)], { cwd: projectDir });
  api = await startApi('sdk-consumer');
}, 240_000);

afterAll(async () => {
  await api?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('SDK consumer project', () => {
  it('installs the packed SDK outside the workspaces', () => {
    const installed = JSON.parse(readFileSync(join(projectDir, 'node_modules', '@taskwire', 'sdk', 'package.json'), 'utf8')) as { name: string };
    expect(installed.name).toBe('@taskwire/sdk');
    expect(existsSync(join(projectDir, 'node_modules', '@taskwire', 'trpc'))).toBe(false);
  });

  it('compiles in strict mode with tsc', async () => {
    const result = await run(process.execPath, [tsc, '-p', join(projectDir, 'tsconfig.json')], { cwd: projectDir }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout ?? String(error)}`);
    });
    expect(result.stdout).toBe('');
    expect(existsSync(join(projectDir, 'dist', 'main.js'))).toBe(true);
  }, 120_000);

  it('runs against a live API', async () => {
    const result = await run(process.execPath, [join(projectDir, 'dist', 'main.js')], { cwd: projectDir, env: { ...process.env, TASKWIRE_URL: api.url } });
    const summary = JSON.parse(result.stdout.trim()) as {
      createdId: string;
      created: string;
      moved: string;
      listed: string[];
      meta: { current_page: number; per_page: number; total_count: number };
      loginExpiresAtIsDate: boolean;
      missing: { code: string; status: number } | null;
    };
    expect(summary.created).toBe('Written by the SDK consumer (todo, version 1)');
    expect(summary.moved).toBe('Written by the SDK consumer (in_progress, version 2)');
    expect(summary.listed).toEqual([summary.createdId]);
    expect(summary.meta).toMatchObject({ current_page: 1, per_page: 10, total_count: 1 });
    expect(summary.loginExpiresAtIsDate).toBe(true);
    expect(summary.missing).toEqual({ code: 'NOT_FOUND', status: 404 });

    const stored = await api.app.database.models.Task.findById(summary.createdId).lean();
    expect(stored?.state).toBe('in_progress');
  }, 60_000);
});
