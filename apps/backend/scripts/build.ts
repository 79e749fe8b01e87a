/**
 * Bundles the backend into dist/ so it runs with `node dist/main.js` and no node_modules:
 * that keeps the image small and the image build offline. Two bundles: the app's own code
 * (main.js, migrate.js and their chunks) and its dependencies (vendor/), which the app imports
 * by relative path. The dependencies change only with an install, so they are bundled once per
 * installed tree and reused: an edit re-bundles only the app (tens of milliseconds instead of
 * a second), and the image's dependency layer stays the same. dist/image/ holds the same files
 * as the image's layers (see below).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, version as esbuildVersion, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = join(root, '..', '..');
const dist = join(root, 'dist');
const VENDOR = 'vendor';
const started = performance.now();

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  // Chunks stay beside their entries: PGlite resolves its assets relative to its own chunk.
  chunkNames: '[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Whitespace only: syntax minification made the bundle no smaller and took half a second of
  // a one-second build.
  minifyWhitespace: true,
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
};

/** vendor/<file>.js for a package specifier: `@scope/pkg/sub.js` -> `@scope+pkg+sub.js.js`. */
const vendorFile = (specifier: string) => `${specifier.replaceAll('/', '+')}.js`;

/** Every package import of the app goes to its vendor file; the specifiers are collected. */
function packagesToVendor(specifiers: Set<string>): Plugin {
  return {
    name: 'packages-to-vendor',
    setup(on) {
      on.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || args.path === 'pg-native') return undefined;
        specifiers.add(args.path);
        return { path: `./${VENDOR}/${vendorFile(args.path)}`, external: true };
      });
    },
  };
}

await rm(dist, { recursive: true, force: true });
const specifiers = new Set<string>();
const app = await build({
  ...common,
  entryPoints: ['src/main.ts', 'src/migrate.ts'],
  outdir: 'dist',
  plugins: [packagesToVendor(specifiers)],
});

// PGlite loads its WebAssembly and data files relative to the module that imports it, which
// after bundling is the vendor folder.
const PGLITE_ASSETS = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];
const pgliteDist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));

/**
 * The dependency bundle is a function of the installed tree (npm's record of it), the packages
 * the app imports, esbuild and this script; it is kept under that key in node_modules/.cache.
 */
async function vendorKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [
    join(workspaceRoot, 'node_modules', '.package-lock.json'),
    fileURLToPath(import.meta.url),
  ])
    hash.update(await readFile(file));
  hash.update(JSON.stringify([esbuildVersion, [...specifiers].sort()]));
  return hash.digest('hex').slice(0, 16);
}

/**
 * One entry per specifier that re-exports what Node itself offers an importer of it: for a
 * CommonJS package that is `default` plus the names Node detects, which esbuild cannot see
 * through `export *`. The app's source runs unbundled under Node (`backend:dev`), so these are
 * exactly the names it can use.
 */
async function buildVendor(outdir: string): Promise<void> {
  const entries: Record<string, string> = {};
  const sources = new Map<string, string>();
  for (const specifier of specifiers) {
    const names = Object.keys(await import(specifier)).filter((name) =>
      /^[A-Za-z_$][\w$]*$/.test(name),
    );
    const name = vendorFile(specifier).replace(/\.js$/, '');
    entries[name] = `vendor-entry:${specifier}`;
    sources.set(specifier, `export { ${names.join(', ')} } from ${JSON.stringify(specifier)};\n`);
  }
  await build({
    ...common,
    entryPoints: entries,
    outdir,
    plugins: [
      {
        name: 'vendor-entries',
        setup(on) {
          on.onResolve({ filter: /^vendor-entry:/ }, (args) => ({
            // .mjs: esbuild gives these entries Node's interop (`default` is module.exports).
            path: `${args.path.slice('vendor-entry:'.length)}.mjs`,
            namespace: 'vendor-entry',
          }));
          on.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (args) => ({
            contents: sources.get(args.path.replace(/\.mjs$/, '')),
            resolveDir: root,
            loader: 'js',
          }));
        },
      },
    ],
  });
  for (const asset of PGLITE_ASSETS) await cp(join(pgliteDist, asset), join(outdir, asset));
}

const cache = join(workspaceRoot, 'node_modules', '.cache', 'todo-chatbot', 'backend-vendor');
const vendorCache = join(cache, await vendorKey());
let vendorNote = 'dependencies reused';
if (!existsSync(vendorCache)) {
  const vendorStarted = performance.now();
  await rm(cache, { recursive: true, force: true });
  const partial = `${vendorCache}.partial`;
  await buildVendor(partial);
  // Renamed into place whole: an interrupted build leaves no half bundle under the key.
  await rename(partial, vendorCache);
  vendorNote = `dependencies bundled in ${Math.round(performance.now() - vendorStarted)} ms`;
}

/** Hard-links every file under `from` to `to(its relative path)`: no copies of 20 MB. */
async function linkFiles(from: string, to: (path: string) => string): Promise<void> {
  for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(from, join(entry.parentPath, entry.name));
    await mkdir(dirname(to(path)), { recursive: true });
    await link(join(from, path), to(path));
  }
}

await writeFile(join(dist, 'package.json'), '{ "type": "module" }\n');
await linkFiles(vendorCache, (path) => join(dist, VENDOR, path));
await mkdir(join(dist, 'migrations', 'meta'), { recursive: true });
await cp(join(root, 'drizzle'), join(dist, 'migrations'), {
  recursive: true,
  filter: (src) => !src.endsWith('_snapshot.json'),
});

// The image's layers as folders of hard links to the files above: Docker's legacy
// builder copies one folder in a quarter of the time it takes for a list of files or a wildcard.
// Least changing first: PGlite's engine (changes with PGlite), the other dependencies (change
// with an install), then the app, so a code change sends the app layer alone.
const ENGINE = new Set(PGLITE_ASSETS.map((asset) => join(VENDOR, asset)));
const layerOf = (path: string) =>
  ENGINE.has(path) ? 'engine' : path.startsWith(`${VENDOR}/`) ? 'vendor' : 'app';
await linkFiles(dist, (path) => join(dist, 'image', layerOf(path), path));

let bytes = 0;
for (const file of Object.keys(app.metafile?.outputs ?? {}))
  bytes += (await stat(join(root, file))).size;
console.log(
  `backend bundled in ${Math.round(performance.now() - started)} ms: ${(bytes / 1e3).toFixed(0)} kB of app JavaScript, ${specifiers.size} packages in dist/${VENDOR}/ (${vendorNote})`,
);
