/**
 * The content tags as a developer meets them, in a scratch copy of the workspace where both
 * images are built with Nx:
 * - a backend source edit gives only the backend a new tag; the frontend's build comes from
 *   the Nx cache, so its image is the very same and `docker build` is not run for it;
 * - the frontend build, run again from a clean `.next`, gives a byte-identical tree;
 * - edits that compile to the same code (comments, formatting, a shared setting the builds do
 *   not read) rebuild what Nx must but give both images the same tags, so nothing is deployed;
 * - a change to what the frontend serves gives it a new build id and a new tag.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import type { ImageRecord } from '../../lib/image-record.ts';
import { type NxRun, nx } from '../../lib/nx-run.ts';
import { createScratchWorkspace, type ScratchWorkspace } from '../../lib/scratch-workspace.ts';
import { baseImage, workspaceRoot } from './support.ts';

let scratch: ScratchWorkspace;
/** Images the scratch copy built; those the real workspace does not use are removed afterwards. */
const scratchImages = new Set<string>();

async function buildImages(): Promise<{ run: NxRun; records: Record<string, ImageRecord> }> {
  const run = await nx(scratch, ['run-many', '-t', 'docker-build', '-p', 'backend', 'frontend'], {
    NODE_BASE_IMAGE: baseImage,
  });
  if (run.exitCode !== 0) throw new Error(`nx run-many -t docker-build failed:\n${run.output}`);
  const records: Record<string, ImageRecord> = {};
  for (const app of ['backend', 'frontend']) {
    const path = join(scratch.root, 'dist', 'images', `${app}.json`);
    const record = JSON.parse(await readFile(path, 'utf8')) as ImageRecord;
    records[app] = record;
    scratchImages.add(record.image);
  }
  return { run, records };
}

/** sha256 of every file under `dir` but Next's build cache and traces, by relative path. */
async function treeDigests(dir: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (/^(cache|trace|trace-build)(\/|$)/.test(path)) continue;
    digests[path] = createHash('sha256')
      .update(await readFile(join(dir, path)))
      .digest('hex');
  }
  return digests;
}

/** Rewrites a JSON file with another indentation: the same settings, formatted differently. */
async function reformatJson(path: string): Promise<void> {
  const file = join(scratch.root, path);
  await writeFile(file, `${JSON.stringify(JSON.parse(await readFile(file, 'utf8')), null, 4)}\n`);
}

const frontendNext = () => join(scratch.root, 'apps', 'frontend', '.next');

beforeAll(async () => {
  scratch = await createScratchWorkspace(workspaceRoot);
});

afterAll(async () => {
  await scratch?.remove();
  for (const app of ['backend', 'frontend']) {
    const path = join(workspaceRoot, 'dist', 'images', `${app}.json`);
    const record = await readFile(path, 'utf8').catch(() => '{}');
    scratchImages.delete((JSON.parse(record) as Partial<ImageRecord>).image ?? '');
  }
  for (const image of scratchImages)
    await $({ nothrow: true, quiet: true })`docker image rm ${image}`;
});

describe('a backend-only source change', () => {
  it('gives the backend a new tag and leaves the frontend image untouched', async () => {
    const before = await buildImages();

    await scratch.edit(
      'apps/backend/src/main.ts',
      "'shutting down'",
      "'shutting down (scratch edit)'",
    );
    const after = await buildImages();

    expect(after.records.backend?.tag).not.toBe(before.records.backend?.tag);
    expect(after.run.fresh).toContain(
      `${after.records.backend?.image} is not in the Docker daemon`,
    );

    // The frontend's inputs are unchanged and its image is still there: Nx replays the step.
    expect(after.records.frontend).toEqual(before.records.frontend);
    expect(after.run.cached).toContain('frontend:docker-build');
    expect(after.run.fresh).not.toContain(`docker build ${before.records.frontend?.image}`);
  });
});

describe('the frontend build', () => {
  it('gives a byte-identical tree when run again from a clean .next', async () => {
    const before = await treeDigests(frontendNext());
    expect(Object.keys(before).length).toBeGreaterThan(100);
    await rm(frontendNext(), { recursive: true, force: true });
    const rebuilt = await scratch.run(['node', 'apps/frontend/scripts/build.ts']);
    expect(rebuilt.exitCode, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).not.toMatch(/warning: .* absolute path/);
    expect(await treeDigests(frontendNext())).toEqual(before);
  });
});

describe('edits that compile to the same code', () => {
  it('rebuild what Nx must, and give both images the same tags', async () => {
    const before = await buildImages();
    const buildId = await readFile(join(frontendNext(), 'BUILD_ID'), 'utf8');
    await scratch.edit(
      'apps/frontend/src/app/not-found.tsx',
      'export default',
      '// A comment-only edit.\n\n\nexport default',
    );
    await scratch.edit(
      'apps/backend/src/main.ts',
      'app.log.info({ signal },',
      'app.log.info(/* a comment-only edit */ { signal },',
    );
    await reformatJson('tsconfig.base.json');
    await reformatJson('biome.json');

    const after = await buildImages();
    // tsconfig.base.json is an input of both builds: they ran (the frontend's prints its id).
    expect(after.run.fresh).toMatch(/build id [\w-]{21} \(a digest of the compiled output\)/);
    expect(after.records).toEqual(before.records);
    expect(after.run.fresh).not.toMatch(/docker build todo-chatbot/);
    expect(await readFile(join(frontendNext(), 'BUILD_ID'), 'utf8')).toBe(buildId);
  });

  it('but a change to what the frontend serves gives it a new build id and tag', async () => {
    const before = await buildImages();
    const buildId = await readFile(join(frontendNext(), 'BUILD_ID'), 'utf8');
    await scratch.edit(
      'apps/frontend/src/app/not-found.tsx',
      'This page drifted off',
      'This page drifted away',
    );
    const after = await buildImages();
    expect(after.records.frontend?.tag).not.toBe(before.records.frontend?.tag);
    expect(after.records.backend).toEqual(before.records.backend);
    expect(await readFile(join(frontendNext(), 'BUILD_ID'), 'utf8')).not.toBe(buildId);
  });
});
