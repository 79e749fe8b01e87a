/**
 * SHA-256 of files, remembered between runs by each file's size, inode, mtime and ctime (the
 * way git's index and build tools avoid re-reading unchanged files). The image tag is a digest
 * of a whole build context, and the Nx runtime input of every deploy computes it: re-reading
 * a 17 MB archive and hundreds of files each time was a tenth of a no-change deploy.
 *
 * A file whose ctime is within the last two seconds is hashed but not remembered: a second
 * write inside the clock's granularity could leave size and times equal with new content.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, readlink, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

type Stamp = string;
type Entry = [stamp: Stamp, sha256: string];

const FORMAT = 'todo-chatbot file hashes v1';
const RACY_NS = 2_000_000_000n;

export type FileHasher = {
  /** Content digest; a symbolic link is hashed by its target path, as Docker copies it. */
  hash: (path: string) => Promise<string>;
  /** Writes what was hashed in this run (and only that: deleted files drop out). */
  save: () => Promise<void>;
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function readEntries(cacheFile: string): Promise<Map<string, Entry>> {
  try {
    const parsed = JSON.parse(await readFile(cacheFile, 'utf8')) as {
      format?: string;
      entries?: Record<string, Entry>;
    };
    return parsed.format === FORMAT ? new Map(Object.entries(parsed.entries ?? {})) : new Map();
  } catch {
    return new Map();
  }
}

/** `now` is the clock in milliseconds (tests move it forward instead of waiting out the window). */
export async function fileHasher(cacheFile: string, now = Date.now()): Promise<FileHasher> {
  const known = await readEntries(cacheFile);
  const seen = new Map<string, Entry>();
  const nowNs = BigInt(now) * 1_000_000n;
  let changed = false;

  return {
    hash: async (path) => {
      const stats = await lstat(path, { bigint: true });
      const stamp = `${stats.size}:${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`;
      const cached = known.get(path);
      if (cached && cached[0] === stamp) {
        seen.set(path, cached);
        return cached[1];
      }
      const content = stats.isSymbolicLink()
        ? `symlink:${await readlink(path)}`
        : await readFile(path);
      const digest = sha256(content);
      if (nowNs - stats.ctimeNs > RACY_NS) seen.set(path, [stamp, digest]);
      changed = true;
      return digest;
    },
    save: async () => {
      if (!changed && seen.size === known.size) return;
      await mkdir(dirname(cacheFile), { recursive: true });
      // Another deploy may save the same file at the same moment: each writes its own
      // temporary file and renames it into place, so a reader never sees half a file.
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      await writeFile(
        temporary,
        JSON.stringify({ format: FORMAT, entries: Object.fromEntries(seen) }),
      );
      await rename(temporary, cacheFile);
    },
  };
}
