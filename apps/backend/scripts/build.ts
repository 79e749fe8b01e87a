/**
 * Bundles the backend into dist/ so it runs with `node dist/main.js` and no node_modules:
 * that keeps the image small and the image build offline.
 */
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = performance.now();

await rm(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts', 'src/migrate.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  // Chunks stay beside the entries: PGlite resolves its assets relative to its own chunk.
  chunkNames: '[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // pg's optional native binding is never installed.
  external: ['pg-native'],
  // CommonJS dependencies call require(); an ESM bundle has to provide it.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

await writeFile(join(dist, 'package.json'), '{ "type": "module" }\n');
await mkdir(join(dist, 'migrations', 'meta'), { recursive: true });
await cp(join(root, 'drizzle'), join(dist, 'migrations'), {
  recursive: true,
  filter: (src) => !src.endsWith('_snapshot.json'),
});

// PGlite loads its WebAssembly and data files relative to the module that imports it,
// which after bundling is dist/.
const pgliteDist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
for (const asset of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) {
  await cp(join(pgliteDist, asset), join(dist, asset));
}

let bytes = 0;
for (const file of Object.keys(result.metafile.outputs))
  bytes += (await stat(join(root, file))).size;
console.log(
  `backend bundled in ${Math.round(performance.now() - started)} ms: ${(bytes / 1e6).toFixed(2)} MB of JavaScript in dist/`,
);
