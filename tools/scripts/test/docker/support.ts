/** Helpers for the tests that build and run the real images. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitForHttp } from '@todo/test-support/wait-for-http';
import { $ } from 'zx';
import { type ImageRecord, imageRecordPath } from '../../lib/image-record.ts';
import { STAND_IN_NODE_IMAGE } from '../../stand-in-node-image.ts';

export const workspaceRoot = join(import.meta.dirname, '..', '..', '..', '..');

/** The base the images are built on: the official image where a registry is reachable. */
export const baseImage = process.env.NODE_BASE_IMAGE || STAND_IN_NODE_IMAGE;

/** Runs `docker-build.ts <app>` the way the Nx target does; returns its output and record. */
export async function dockerBuild(app: string): Promise<{ output: string; record: ImageRecord }> {
  const result = await $({
    cwd: workspaceRoot,
    quiet: true,
    env: { ...process.env, NODE_BASE_IMAGE: baseImage },
  })`node tools/scripts/docker-build.ts ${app}`;
  const record = JSON.parse(await readFile(imageRecordPath(app), 'utf8')) as ImageRecord;
  return { output: result.stdout, record };
}

/** Polls `url` until it answers 2xx, or fails after `timeoutMs` with the last error. */
export function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  return waitForHttp(url, {
    timeoutMs,
    intervalMs: 250,
    timeoutMessage: (last) => `${url} not ready after ${timeoutMs} ms: ${last}`,
  });
}
