import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  target: 'es2022',
  platform: 'neutral',
  clean: true,
  sourcemap: true,
  // The router type comes from private workspace packages that are never
  // published, so their declarations are inlined into the SDK's own. The
  // paths point at their sources: rollup-plugin-dts would leave anything it
  // reaches through node_modules as an import.
  dts: {
    resolve: [/^@taskwire\//],
    compilerOptions: { baseUrl: '.', paths: { '@taskwire/*': ['../*/src/index.ts'] } },
  },
  external: ['@trpc/client', 'superjson'],
  // The observable helper is bundled (a few hundred bytes), so @trpc/server
  // is needed for types only and the run-time dependencies stay two.
  noExternal: ['@trpc/server'],
});
