import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { startFerretdb } from '../scripts/lib/ferretdb.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-ferretdb-script-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function withClient<T>(uri: string, action: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 2000 });
  try {
    return await action(client);
  } finally {
    await client.close();
  }
}

it('stops cleanly and keeps data for the next start', async () => {
  const first = await startFerretdb({ dataDir, log: () => {} });
  await withClient(first.uri, (client) => client.db('persist').collection('notes').insertOne({ text: 'kept' }));
  await first.stop();

  await expect(withClient(first.uri, (client) => client.db('admin').command({ ping: 1 }))).rejects.toThrow();

  const second = await startFerretdb({ dataDir, log: () => {} });
  try {
    const note = await withClient(second.uri, (client) => client.db('persist').collection('notes').findOne({}));
    expect(note?.text).toBe('kept');
  } finally {
    await second.stop();
  }
});

/** Local addresses of the TCP sockets a process is listening on, read from /proc (Linux). */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter((inode) => inode !== undefined),
  );
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const [local, state, inode] = [columns[1], columns[3], columns[9]];
      // State 0A is LISTEN.
      if (local && state === '0A' && inode && inodes.has(inode)) addresses.push(local);
    }
  }
  return addresses;
}

it('listens on loopback only, including its debug listener', async () => {
  const server = await startFerretdb({ dataDir: mkdtempSync(join(tmpdir(), 'taskwire-ferretdb-loopback-')), log: () => {} });
  try {
    const addresses = listeningAddresses(server.pid!);
    // The wire protocol listener and the debug listener.
    expect(addresses.length).toBeGreaterThanOrEqual(2);
    for (const address of addresses) {
      // 0100007F is 127.0.0.1 in /proc's little-endian hex.
      expect(address.split(':')[0]).toBe('0100007F');
    }
  } finally {
    await server.stop();
  }
});
