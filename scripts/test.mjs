#!/usr/bin/env node
// `npm test`: build, lint and typecheck every workspace, then run the whole
// vitest suite, which starts its own FerretDB on a free loopback port.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { installFerretdb } from './lib/ferretdb.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(command, args) {
  console.log(`\n> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npx', ['turbo', 'run', 'build', 'lint', 'typecheck', '--output-logs=errors-only']);
run('npx', ['tsc', '-p', 'tsconfig.json']);
run('npx', ['eslint', 'tests', 'scripts', 'vitest.config.ts']);
// Build FerretDB here, where its progress is visible, rather than inside vitest's global setup.
if (!process.env.MONGODB_URI) installFerretdb();
// The docs page test drives Debian's chromium; it fails rather than skips without it.
if (!existsSync('/usr/bin/chromium')) run('sh', ['scripts/install-chromium.sh']);
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
