import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileHasher } from '../../lib/file-hashes.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const later = () => Date.now() + 60_000;

let dir: string;
let cacheFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-hashes-'));
  cacheFile = join(dir, 'cache', 'hashes.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function cachedPaths(): Promise<string[]> {
  return Object.keys(JSON.parse(await readFile(cacheFile, 'utf8')).entries);
}

describe('fileHasher', () => {
  it('hashes content, and a symbolic link by its target as Docker copies it', async () => {
    await writeFile(join(dir, 'a.js'), 'one');
    await symlink('a.js', join(dir, 'link.js'));
    const hasher = await fileHasher(cacheFile, later());
    expect(await hasher.hash(join(dir, 'a.js'))).toBe(sha256('one'));
    expect(await hasher.hash(join(dir, 'link.js'))).toBe(sha256('symlink:a.js'));
  });

  it('sees new content of the same size written after the cache was saved', async () => {
    const file = join(dir, 'a.js');
    await writeFile(file, 'one');
    const first = await fileHasher(cacheFile, later());
    await first.hash(file);
    await first.save();
    expect(await cachedPaths()).toEqual([file]);

    // Past the coarsest timestamp granularity of Linux file systems, as a real edit would be.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(file, 'two');
    const second = await fileHasher(cacheFile, later());
    expect(await second.hash(file)).toBe(sha256('two'));
  });

  it('answers from the cache while size, inode and times are unchanged', async () => {
    const file = join(dir, 'a.js');
    await writeFile(file, 'one');
    const first = await fileHasher(cacheFile, later());
    await first.hash(file);
    await first.save();
    // A planted digest proves the file is not read again; real files only change with a new stamp.
    const saved = JSON.parse(await readFile(cacheFile, 'utf8'));
    saved.entries[file][1] = 'planted';
    await writeFile(cacheFile, JSON.stringify(saved));
    expect(await (await fileHasher(cacheFile, later())).hash(file)).toBe('planted');
  });

  it('does not remember a file changed within the last two seconds', async () => {
    const file = join(dir, 'fresh.js');
    await writeFile(file, 'one');
    const hasher = await fileHasher(cacheFile);
    expect(await hasher.hash(file)).toBe(sha256('one'));
    await hasher.save();
    expect(await cachedPaths()).toEqual([]);
  });

  it('drops files that were not hashed in this run, and ignores a damaged cache', async () => {
    const [a, b] = [join(dir, 'a.js'), join(dir, 'b.js')];
    await writeFile(a, 'a');
    await writeFile(b, 'b');
    const first = await fileHasher(cacheFile, later());
    await Promise.all([first.hash(a), first.hash(b)]);
    await first.save();
    const second = await fileHasher(cacheFile, later());
    await second.hash(a);
    await second.save();
    expect(await cachedPaths()).toEqual([a]);

    await writeFile(cacheFile, '{ not json');
    expect(await (await fileHasher(cacheFile, later())).hash(b)).toBe(sha256('b'));
  });
});
