import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/**
 * The layer rule: each workspace may import only the workspaces listed here,
 * so dependencies point inward (domain <- application <- adapters <- apps).
 */
const allowedWorkspaceImports: Record<string, string[]> = {
  '@taskwire/domain': [],
  '@taskwire/application': ['@taskwire/domain'],
  '@taskwire/mongo': ['@taskwire/domain', '@taskwire/application'],
  '@taskwire/security': ['@taskwire/domain', '@taskwire/application'],
  '@taskwire/jobs': ['@taskwire/domain', '@taskwire/application'],
  '@taskwire/trpc': ['@taskwire/domain', '@taskwire/application'],
  '@taskwire/sdk': ['@taskwire/trpc'],
  '@taskwire/api': ['@taskwire/domain', '@taskwire/application', '@taskwire/mongo', '@taskwire/security', '@taskwire/jobs', '@taskwire/trpc'],
  '@taskwire/worker': ['@taskwire/domain', '@taskwire/application', '@taskwire/mongo', '@taskwire/security', '@taskwire/jobs'],
  '@taskwire/cli': ['@taskwire/domain', '@taskwire/application', '@taskwire/mongo', '@taskwire/security', '@taskwire/jobs'],
};

/** Third-party packages a workspace must never import, with the reason. */
const forbiddenPackages: Record<string, Record<string, string>> = {
  '@taskwire/domain': { mongoose: 'the domain does no I/O', mongodb: 'the domain does no I/O', fastify: 'the domain knows no framework', '@trpc/server': 'the domain knows no framework' },
  '@taskwire/application': { mongoose: 'services reach the database through ports', mongodb: 'services reach the database through ports', fastify: 'services know no transport', '@trpc/server': 'services know no transport' },
  '@taskwire/trpc': { mongoose: 'the router type reaches SDK users and must carry no database types', mongodb: 'the router type reaches SDK users', fastify: 'the router is transport-neutral' },
};

interface Workspace {
  name: string;
  dir: string;
}

function workspaces(): Workspace[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).map((entry) => {
      const dir = join(root, group, entry);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
      return { name: pkg.name, dir };
    }),
  );
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function violations(workspace: Workspace): string[] {
  const allowed = allowedWorkspaceImports[workspace.name];
  if (!allowed) return [`${workspace.name} has no entry in the layer table; add one`];
  const forbidden = forbiddenPackages[workspace.name] ?? {};
  const found: string[] = [];
  for (const file of sourceFiles(join(workspace.dir, 'src'))) {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const where = relative(root, file);
      if (specifier.startsWith('.')) {
        const target = resolve(file, '..', specifier);
        if (!target.startsWith(workspace.dir)) found.push(`${where} reaches outside its workspace with ${specifier}`);
        continue;
      }
      const name = packageName(specifier);
      if (name.startsWith('@taskwire/') && name !== workspace.name && !allowed.includes(name)) {
        found.push(`${where} imports ${name}, which ${workspace.name} may not depend on`);
      }
      if (forbidden[name]) found.push(`${where} imports ${name}: ${forbidden[name]}`);
    }
  }
  return found;
}

describe('layer rule', () => {
  for (const workspace of workspaces()) {
    it(`${workspace.name} imports only inner layers`, () => {
      expect(violations(workspace)).toEqual([]);
    });
  }

  it('detects a forbidden import', () => {
    expect(importsOf("import mongoose from 'mongoose';\nimport type { X } from '@taskwire/mongo';")).toEqual(['mongoose', '@taskwire/mongo']);
  });
});
