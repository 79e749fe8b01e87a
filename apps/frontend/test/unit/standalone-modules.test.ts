import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureStandaloneModules,
  packStandaloneModules,
  type StandalonePaths,
} from '../../scripts/standalone-modules.ts';

let root: string;
let paths: StandalonePaths;
const modules = () => join(paths.standaloneDir, 'node_modules');
const unpacked = () => join(paths.unpackDir, 'node_modules');

async function writeModules(version: string) {
  await mkdir(join(modules(), 'dep', 'dist'), { recursive: true });
  await writeFile(join(modules(), 'dep', 'package.json'), `{"version":"${version}"}`);
  await writeFile(join(modules(), 'dep', 'dist', 'index.js'), 'module.exports = 1;');
  await writeFile(join(modules(), 'dep', 'dist', 'index.js.map'), '{"sources":["secret.ts"]}');
  await symlink('dep', join(modules(), 'alias'));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'standalone-'));
  paths = {
    standaloneDir: join(root, 'standalone'),
    archive: join(root, 'modules.tar'),
    unpackDir: root,
  };
  await writeModules('1.0.0');
});

afterEach(() => rm(root, { recursive: true, force: true }));

describe('standalone modules archive', () => {
  it('replaces the folder, which a cache restore leaves out, with the archive', async () => {
    await packStandaloneModules(paths);
    await expect(stat(modules())).rejects.toThrow();
    expect((await stat(paths.archive)).size).toBeGreaterThan(0);
  });

  it('is byte-identical when packed again from the same files', async () => {
    await packStandaloneModules(paths);
    const first = await readFile(paths.archive);
    await writeModules('1.0.0');
    await packStandaloneModules(paths);
    expect((await readFile(paths.archive)).equals(first)).toBe(true);
  });

  it('unpacks for a local run outside the standalone folder, symlinks included and maps left out', async () => {
    await packStandaloneModules(paths);

    expect(await ensureStandaloneModules(paths)).toBe('unpacked');
    expect(await readFile(join(unpacked(), 'alias', 'dist', 'index.js'), 'utf8')).toBe(
      'module.exports = 1;',
    );
    await expect(stat(join(unpacked(), 'dep', 'dist', 'index.js.map'))).rejects.toThrow();
    await expect(stat(modules())).rejects.toThrow();
  });

  it('leaves a current folder alone and replaces one from another build', async () => {
    await packStandaloneModules(paths);
    expect(await ensureStandaloneModules(paths)).toBe('unpacked');
    expect(await ensureStandaloneModules(paths)).toBe('current');

    const other = { ...paths, archive: join(root, 'other.tar') };
    await writeModules('2.0.0');
    await packStandaloneModules(other);
    expect(await ensureStandaloneModules(other)).toBe('unpacked');
    expect(await readFile(join(unpacked(), 'dep', 'package.json'), 'utf8')).toContain('2.0.0');
    expect(await ensureStandaloneModules(paths)).toBe('unpacked');
    expect(await readFile(join(unpacked(), 'dep', 'package.json'), 'utf8')).toContain('1.0.0');
  });

  it('says which target to run when the archive is missing', async () => {
    await expect(ensureStandaloneModules(paths)).rejects.toThrow(/nx run frontend:build/);
  });
});
