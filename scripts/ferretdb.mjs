#!/usr/bin/env node
// Usage: node scripts/ferretdb.mjs install | start [--port N]
//   install  builds FerretDB once and reuses the binary afterwards
//   start    runs it in the foreground on 127.0.0.1 (port FERRETDB_PORT, default 27017)
//            with data under .data/ferretdb
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installFerretdb, startFerretdb } from './lib/ferretdb.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [command, ...args] = process.argv.slice(2);

if (command === 'install') {
  console.log(installFerretdb());
} else if (command === 'start') {
  const portIndex = args.indexOf('--port');
  const port = Number(portIndex >= 0 ? args[portIndex + 1] : (process.env.FERRETDB_PORT ?? 27017));
  const db = await startFerretdb({ dataDir: join(root, '.data', 'ferretdb'), port });
  console.log(`FerretDB listening: ${db.uri} (Ctrl-C stops it)`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void db.stop().then(() => process.exit(0)));
  }
} else {
  console.error('Usage: node scripts/ferretdb.mjs install | start [--port N]');
  process.exit(2);
}
