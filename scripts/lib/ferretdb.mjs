// Build, start and stop the embedded FerretDB server used by `npm start` and
// by the test suite. Everything listens on 127.0.0.1 only, and telemetry is
// disabled.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';

function toolsDir() {
  const base = process.env.TASKWIRE_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'taskwire');
  return join(base, `ferretdb-${FERRETDB_VERSION}`);
}

export function ferretdbBinary() {
  return process.env.FERRETDB_BIN ?? join(toolsDir(), 'ferretdb');
}

function installedVersion(binary) {
  try {
    const output = execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /^version: (\S+)/m.exec(output)?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Install FerretDB from the Go module proxy unless the binary is already there.
 *
 * `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` fetches the
 * right source, but the binary it links panics at start-up because the
 * module ships without build/version/version.txt (FerretDB issue 2982), and
 * `go build -overlay` may not replace files in the module cache. So the
 * script downloads the same module, copies it to a scratch folder, writes
 * the version file that FerretDB's own release build generates, and builds
 * cmd/ferretdb from there.
 */
export function installFerretdb({ log = console.log } = {}) {
  const binary = ferretdbBinary();
  const found = installedVersion(binary);
  if (found === FERRETDB_VERSION) {
    return binary;
  }
  if (process.env.FERRETDB_BIN) {
    throw new Error(`FERRETDB_BIN=${binary} is not FerretDB ${FERRETDB_VERSION} (found ${found ?? 'nothing runnable'}); unset FERRETDB_BIN to let the script build it.`);
  }

  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('Go is required to build FerretDB but `go` was not found on PATH; install Go 1.24 or newer, or set MONGODB_URI to use an existing MongoDB.');
  }

  log(`Building FerretDB ${FERRETDB_VERSION} into ${binary} (first run only; this takes a few minutes)...`);
  const started = Date.now();
  const download = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const source = join(tmpdir(), `taskwire-ferretdb-src-${process.pid}`);
  rmSync(source, { recursive: true, force: true });
  cpSync(download.Dir, source, { recursive: true });
  // Files in the Go module cache are read-only; the copy must be writable.
  execFileSync('chmod', ['-R', 'u+w', source]);
  writeFileSync(join(source, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);

  mkdirSync(toolsDir(), { recursive: true });
  log('  go build ./cmd/ferretdb (compiling about 300 packages)...');
  execFileSync('go', ['build', '-trimpath', '-o', binary, './cmd/ferretdb'], { cwd: source, stdio: 'inherit' });
  rmSync(source, { recursive: true, force: true });

  const built = installedVersion(binary);
  if (built !== FERRETDB_VERSION) {
    throw new Error(`Built ${binary} but it reports version ${built ?? 'nothing'}; expected ${FERRETDB_VERSION}.`);
  }
  log(`FerretDB ${FERRETDB_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return binary;
}

async function assertPortFree(port) {
  await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} on 127.0.0.1 is already in use, so FerretDB cannot listen there; stop the process using it or set FERRETDB_PORT to a free port.`));
      } else {
        reject(error);
      }
    });
    server.listen(port, '127.0.0.1', () => server.close(resolve));
  });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function ping(uri) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * Start FerretDB with the SQLite backend storing its files in `dataDir`, and
 * resolve once it responds to a ping. Returns the connection URI and a stop
 * function that ends the process with SIGTERM and waits for it to exit.
 */
export async function startFerretdb({ dataDir, port, log = console.log, timeoutMs = 30_000 }) {
  const binary = installFerretdb({ log });
  // Without this check, a server already on the port would respond to the ping
  // below and be mistaken for the FerretDB started here.
  if (port !== undefined) await assertPortFree(port);
  const listenPort = port ?? (await freePort());
  const debugPort = await freePort();
  const sqliteDir = join(dataDir, 'sqlite');
  mkdirSync(sqliteDir, { recursive: true });

  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${sqliteDir}/`,
      `--listen-addr=127.0.0.1:${listenPort}`,
      `--state-dir=${dataDir}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      '--telemetry=disable',
      // Belt and braces: even if telemetry were turned on by a state file,
      // reports would go to a closed loopback port.
      '--test-telemetry-url=http://127.0.0.1:9/',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const uri = `mongodb://127.0.0.1:${listenPort}/?directConnection=true`;
  const deadline = Date.now() + timeoutMs;
  while (!(await ping(uri))) {
    if (child.exitCode !== null) {
      throw new Error(`FerretDB exited with code ${child.exitCode} before accepting connections on 127.0.0.1:${listenPort}:\n${stderr}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not respond to a ping on 127.0.0.1:${listenPort} within ${timeoutMs} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(`FerretDB exited right after start-up (${child.signalCode ?? `code ${child.exitCode}`}):\n${stderr}`);
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  }

  return { uri, port: listenPort, pid: child.pid, exited, stop };
}
