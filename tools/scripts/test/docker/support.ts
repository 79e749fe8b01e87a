/** Helpers for the tests that build and run the real images. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Containers run with --network host, so a free loopback port is free for them too. */
export { freePort } from '../support/free-port.ts';

/** Polls `url` until it answers 2xx, or fails after `timeoutMs` with the last error. */
export async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${last}`);
}
