/**
 * A workspace of its own with the pipeline's scripts, for tests that run them as processes:
 * whatever they write under the workspace root (sockets, dist/deploy records, caches) lands
 * there and not in this repository. Packages are linked, node_modules/.cache is its own.
 */
import { cp, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';

const SCRIPTS = join(import.meta.dirname, '..', '..');

export async function scriptsWorkspace(root: string): Promise<string> {
  const skipped = /^\/(node_modules|test|test-results)(\/|$)/;
  await cp(SCRIPTS, join(root, 'tools', 'scripts'), {
    recursive: true,
    filter: (source) => !skipped.test(source.slice(SCRIPTS.length)),
  });
  await symlink(join(SCRIPTS, 'node_modules'), join(root, 'tools', 'scripts', 'node_modules'));
  const packages = join(SCRIPTS, '..', '..', 'node_modules');
  await mkdir(join(root, 'node_modules'));
  for (const entry of await readdir(packages))
    if (entry !== '.cache') await symlink(join(packages, entry), join(root, 'node_modules', entry));
  return root;
}
