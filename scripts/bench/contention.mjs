#!/usr/bin/env node
// Measure N concurrent changes to one task, with the per-task write queue
// and without it (every race left to the event log's unique index).
// Run after `npm run build`:
//   node scripts/bench/contention.mjs [writers=50] [rounds=5]
// Prints the median wall time of each variant over alternating rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskService } from '../../packages/application/dist/index.js';
import { connectDatabase, createRepositories, newObjectIdString } from '../../packages/mongo/dist/index.js';
import { startFerretdb } from '../lib/ferretdb.mjs';

const writers = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 5);

const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-bench-'));
const server = await startFerretdb({ dataDir, log: () => {} });
const database = await connectDatabase(server.uri.replace('/?', '/bench?'));
await database.ensureIndexes();
const repositories = createRepositories(database);

// The benchmark needs no accounts; its one creator counts as an active user.
const users = { findById: async (id) => ({ id, email: 'bench@example.com', name: 'Bench', role: 'member', createdAt: new Date(), updatedAt: new Date() }) };
const deps = { ...repositories, users, clock: { now: () => new Date() }, ids: { newId: newObjectIdString } };
const variants = {
  queued: new TaskService({ ...deps, queueWrites: true }),
  'index only': new TaskService({ ...deps, queueWrites: false, maxWriteAttempts: 1000 }),
};
const actor = { userId: newObjectIdString(), role: 'member' };

async function burst(service) {
  const task = await service.create(actor, { title: 'Contended task' });
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, (_, i) => service.update(actor, task.id, { title: `Change ${i}` })));
  const elapsed = performance.now() - started;
  const final = await service.get(actor, task.id);
  if (final.version !== writers + 1) throw new Error(`expected version ${writers + 1}, got ${final.version}`);
  return elapsed;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const timings = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < rounds; round += 1) {
  for (const [name, service] of Object.entries(variants)) timings[name].push(await burst(service));
}

console.log(`${writers} concurrent updates of one task, ${rounds} rounds, FerretDB (SQLite) on loopback`);
for (const [name, values] of Object.entries(timings)) {
  console.log(`  ${name.padEnd(10)} median ${median(values).toFixed(0)} ms  (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`);
}
console.log(`  ratio index only / queued: ${(median(timings['index only']) / median(timings.queued)).toFixed(1)}x`);

await database.close();
await server.stop();
rmSync(dataDir, { recursive: true, force: true });
