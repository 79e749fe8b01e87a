/**
 * The standalone server's traced dependencies (`.next/standalone/node_modules`) travel as one
 * archive, `.next/standalone-modules.tar`, because Nx never restores a `node_modules` folder from
 * its cache (nrwl/nx#19502). The build packs the folder and removes it, so that what it leaves
 * is exactly what a cache restore gives: otherwise the first restore after a build (always,
 * without the Nx daemon) first deletes a thousand files, which doubled a no-change deploy's
 * restore. The Dockerfile unpacks the archive with ADD. Local runs call
 * `ensureStandaloneModules` (or run this file), which unpacks it to `.next/node_modules`,
 * outside the build's outputs, where a restore never touches it and Node's resolution from
 * the standalone server still finds it.
 *
 * The archive is reproducible (sorted entries, no owners or times), so an unchanged build gives
 * a byte-identical archive and the image digest stays put.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, extract } from 'tar';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * `standaloneDir` holds the folder the build packs; local runs unpack it into `unpackDir`, a
 * parent of the standalone server.
 */
export type StandalonePaths = { standaloneDir: string; archive: string; unpackDir: string };

export const DEFAULT_PATHS: StandalonePaths = {
  standaloneDir: join(projectRoot, '.next', 'standalone'),
  archive: join(projectRoot, '.next', 'standalone-modules.tar'),
  unpackDir: join(projectRoot, '.next'),
};

// Records which archive the unpacked folder came from, so a restored newer build is noticed.
const MARKER = '.standalone-modules.sha256';

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    yield path;
    if (entry.isDirectory()) yield* walk(path);
  }
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** Replaces `node_modules` with its archive (source maps left out, as in the image). */
export async function packStandaloneModules(paths = DEFAULT_PATHS): Promise<void> {
  const modules = join(paths.standaloneDir, 'node_modules');
  const files: string[] = ['node_modules'];
  for await (const path of walk(modules)) {
    if (path.endsWith('.map')) continue;
    files.push(relative(paths.standaloneDir, path).split(sep).join('/'));
  }
  await create(
    {
      cwd: paths.standaloneDir,
      file: paths.archive,
      portable: true,
      noMtime: true,
      // Directories are listed with their contents above; tar must not add them a second time.
      noDirRecurse: true,
    },
    files,
  );
  await rm(modules, { recursive: true });
}

/** Unpacks the archive unless the folder already holds exactly this archive's contents. */
export async function ensureStandaloneModules(
  paths = DEFAULT_PATHS,
): Promise<'unpacked' | 'current'> {
  if (!existsSync(paths.archive)) {
    throw new Error(
      `${relative(process.cwd(), paths.archive)} is missing: run \`npx nx run frontend:build\``,
    );
  }
  const modules = join(paths.unpackDir, 'node_modules');
  const expected = await sha256(paths.archive);
  const current = await readFile(join(modules, MARKER), 'utf8').catch(() => '');
  if (current === expected) return 'current';
  await rm(modules, { recursive: true, force: true });
  await extract({ cwd: paths.unpackDir, file: paths.archive });
  await writeFile(join(modules, MARKER), expected);
  return 'unpacked';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outcome = await ensureStandaloneModules();
  if (outcome === 'unpacked')
    console.log('unpacked .next/standalone-modules.tar into .next/node_modules');
}
