#!/usr/bin/env node
// `npm start`: build the workspaces, start the embedded FerretDB unless
// MONGODB_URI is set, then run the API until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFerretdb } from './lib/ferretdb.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.DATA_DIR ?? join(root, '.data');
const say = (message) => console.log(`[taskwire] ${message}`);
let stopping = false;

say('Building workspaces...');
const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let database = null;
let mongoUri = process.env.MONGODB_URI;
if (mongoUri) {
  say('MONGODB_URI is set; using that database and not starting FerretDB.');
} else {
  const port = Number(process.env.FERRETDB_PORT ?? 27017);
  say(`Starting FerretDB on 127.0.0.1:${port} with data in ${join(dataDir, 'ferretdb')}...`);
  try {
    database = await startFerretdb({ dataDir: join(dataDir, 'ferretdb'), port, log: say });
  } catch (error) {
    say(error.message);
    process.exit(1);
  }
  mongoUri = `mongodb://127.0.0.1:${database.port}/taskwire?directConnection=true`;
  void database.exited.then(() => {
    if (stopping) return;
    say('FerretDB exited unexpectedly; stopping the API.');
    database = null;
    void stop(1);
  });
}

const env = { ...process.env, MONGODB_URI: mongoUri, DATA_DIR: dataDir };
const processes = [spawn(process.execPath, [join(root, 'apps/api/dist/main.js')], { cwd: root, env, stdio: 'inherit' })];

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
void waitUntilReady(`${url}/readyz`).then((ready) => {
  if (ready) say(`Taskwire is ready: API at ${url} (tRPC at ${url}/trpc). Press Ctrl-C to stop.`);
});

async function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of processes) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  await Promise.all(processes.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  if (database) {
    say('Stopping FerretDB...');
    await database.stop();
  }
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));

// npm does not always pass SIGTERM on to this script; when the parent goes
// away, this process is re-parented, and it stops everything it started.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) {
    say('The parent process exited; stopping.');
    void stop(0);
  }
}, 1000).unref();
for (const child of processes) {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    say(`A Taskwire process exited (${signal ?? `code ${code}`}); stopping the others.`);
    void stop(code ?? 1);
  });
}

async function waitUntilReady(readyUrl, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(readyUrl)).status === 200) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
