import { readFile, writeFile } from 'node:fs/promises';

/**
 * Writes the file only when its content differs. Components watch some of their config
 * files (kube-proxy exits when its file changes), so rewriting an unchanged file on an
 * idempotent re-run would restart them for nothing.
 */
export async function writeIfChanged(
  path: string,
  content: string,
  mode = 0o644,
): Promise<boolean> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) return false;
  await writeFile(path, content, { mode });
  return true;
}
