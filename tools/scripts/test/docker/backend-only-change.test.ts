/**
 * The content tags as a developer meets them: in a scratch copy of the workspace, both images
 * are built with Nx, a backend source file is edited, and both are built again. Only the
 * backend may get a new tag; the frontend's build comes from the Nx cache, so its image is the
 * very same and `docker build` is not run for it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import type { ImageRecord } from '../../lib/image-record.ts';
import { createScratchWorkspace, type ScratchWorkspace } from '../../lib/scratch-workspace.ts';
import { baseImage, workspaceRoot } from './support.ts';

let scratch: ScratchWorkspace;
/** Images the scratch copy built; those the real workspace does not use are removed afterwards. */
const scratchImages = new Set<string>();

async function buildImages(): Promise<{ output: string; records: Record<string, ImageRecord> }> {
  const result = await scratch.run(
    [
      'npx',
      'nx',
      'run-many',
      '-t',
      'docker-build',
      '-p',
      'backend',
      'frontend',
      '--outputStyle=stream',
    ],
    { NODE_BASE_IMAGE: baseImage },
  );
  const output = result.stdout + result.stderr;
  if (result.exitCode !== 0) throw new Error(`nx run-many -t docker-build failed:\n${output}`);
  const records: Record<string, ImageRecord> = {};
  for (const app of ['backend', 'frontend']) {
    const path = join(scratch.root, 'dist', 'images', `${app}.json`);
    const record = JSON.parse(await readFile(path, 'utf8')) as ImageRecord;
    records[app] = record;
    scratchImages.add(record.image);
  }
  return { output, records };
}

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
    expect(after.output).toContain(`${after.records.backend?.image} is not in the Docker daemon`);

    expect(after.records.frontend).toEqual(before.records.frontend);
    expect(after.output).toContain(
      `${before.records.frontend?.image} is already in the Docker daemon`,
    );
    expect(after.output).not.toContain(`docker build ${before.records.frontend?.image}`);
  });
});
