import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source, so a change is tested
// without rebuilding; the apps themselves run from the built output.
const workspaceAliases = ['packages', 'apps'].flatMap((group) =>
  readdirSync(resolve(import.meta.dirname, group))
    .filter((name) => existsSync(resolve(import.meta.dirname, group, name, 'src', 'index.ts')))
    .map((name) => ({ find: `@taskwire/${name}`, replacement: join(resolve(import.meta.dirname, group, name), 'src', 'index.ts') })),
);

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
