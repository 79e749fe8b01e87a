/** Content digests of the files a component reads at start, to tell when to restart it. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** sha256 over the given files and every file directly inside the given folders. */
export async function digestFiles(paths: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const files = (await stat(path)).isDirectory()
      ? (await readdir(path)).sort().map((name) => join(path, name))
      : [path];
    for (const file of files) {
      if ((await stat(file)).isFile()) hash.update(`${file}\0`).update(await readFile(file));
    }
  }
  return hash.digest('hex');
}
