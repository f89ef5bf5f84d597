import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  exports: Record<string, unknown>;
};

const SERVER_ONLY = /['"](mongoose|mongodb|fastify|pino|jose|zod|@taskwire\/[^'"]*|node:[^'"]*)['"]/;

function built(file: string): string {
  const path = join(dist, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: build the SDK first (npm run build).`);
  return readFileSync(path, 'utf8');
}

function specifiers(source: string): string[] {
  const found = [...source.matchAll(/(?:from\s*|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1] ?? '');
  return [...new Set(found)].sort();
}

describe('@taskwire/sdk package', () => {
  it('depends at run time on @trpc/client and superjson only', () => {
    expect(pkg.name).toBe('@taskwire/sdk');
    expect(pkg.private).toBeUndefined();
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(['@trpc/client', 'superjson']);
    expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['@trpc/server']);
  });

  it('builds ESM, CJS and declarations', () => {
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) {
      expect(built(file).length, file).toBeGreaterThan(0);
    }
  });

  it('imports only its dependencies at run time', () => {
    expect(specifiers(built('index.js'))).toEqual(['@trpc/client', 'superjson']);
    expect(specifiers(built('index.cjs'))).toEqual(['@trpc/client', 'superjson']);
  });

  it('references no server-only package in its declarations', () => {
    for (const file of ['index.d.ts', 'index.d.cts']) {
      const declarations = built(file);
      expect(specifiers(declarations), file).toEqual(['@trpc/client', '@trpc/server']);
      expect(declarations, file).not.toMatch(SERVER_ONLY);
    }
  });

  it('loads through import and require', async () => {
    const esm = (await import(pathToFileURL(join(dist, 'index.js')).href)) as Record<string, unknown>;
    const cjs = createRequire(import.meta.url)(join(dist, 'index.cjs')) as Record<string, unknown>;
    for (const loaded of [esm, cjs]) {
      expect(typeof loaded.createClient).toBe('function');
      expect(typeof loaded.TaskwireError).toBe('function');
    }
  });
});
