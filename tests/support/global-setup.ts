import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFerretdb } from '../../scripts/lib/ferretdb.mjs';
import './database.js';

/**
 * Start one FerretDB for the whole run on a free loopback port, with its data
 * in a temporary folder. With MONGODB_URI set, tests use that server instead.
 */
export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-test-db-'));
  const database = await startFerretdb({ dataDir, log: (message) => console.log(message) });
  project.provide('mongoUri', database.uri);
  return async () => {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
