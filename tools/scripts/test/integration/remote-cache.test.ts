/**
 * The team's Nx remote cache end to end: the real nginx started by `cache-server.ts`, and real
 * Nx runs in two copies of the workspace with caches of their own (two machines' worth): CI
 * uploads with the write token, a laptop replays with the read token and cannot upload, and a
 * server that is down or refuses the token turns the remote cache off for the run, in one line,
 * instead of failing it (Nx alone exits 1 then).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CacheServer,
  READ_TOKEN,
  startCacheServer,
  WRITE_TOKEN,
} from '@todo/test-support/cache-server';
import { freePort } from '@todo/test-support/free-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nx } from '../../lib/nx-run.ts';
import { createScratchWorkspace, type ScratchWorkspace } from '../../lib/scratch-workspace.ts';
import { workspaceRoot } from '../../lib/workspace-root.ts';

const entries = async (server: CacheServer) => (await readdir(join(server.dir, 'entries'))).length;

describe('the team Nx remote cache', () => {
  let server: CacheServer;
  let ci: ScratchWorkspace;
  let laptop: ScratchWorkspace;
  /** Each copy's Nx keeps its cache and workspace data apart, as on two machines. */
  const machine = (workspace: ScratchWorkspace, extra: Record<string, string>) => ({
    NX_CACHE_DIRECTORY: `${workspace.root}.nx-cache`,
    NX_WORKSPACE_DATA_DIRECTORY: `${workspace.root}.nx-data`,
    ...extra,
  });

  beforeAll(async () => {
    [server, ci, laptop] = await Promise.all([
      startCacheServer(),
      createScratchWorkspace(workspaceRoot),
      createScratchWorkspace(workspaceRoot),
    ]);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    for (const workspace of [ci, laptop]) {
      if (!workspace) continue;
      await workspace.remove();
      for (const suffix of ['.nx-cache', '.nx-data'])
        await rm(`${workspace.root}${suffix}`, { recursive: true, force: true });
    }
  });

  it('serves the specification: tokens, misses, no overwrite, nothing but the cache route', async () => {
    const ask = (path: string, method: string, token?: string, body?: string) =>
      fetch(`${server.url}${path}`, {
        method,
        body,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }).then((response) => response.status);
    expect(await ask('/v1/cache/1234', 'GET')).toBe(401);
    expect(await ask('/v1/cache/1234', 'GET', 'not-a-token-of-this-server')).toBe(401);
    expect(await ask('/v1/cache/1234', 'GET', READ_TOKEN)).toBe(404);
    expect(await ask('/v1/cache/1234', 'PUT', undefined, 'x')).toBe(403);
    expect(await ask('/v1/cache/1234', 'PUT', READ_TOKEN, 'x')).toBe(403);
    expect(await ask('/v1/cache/1234', 'PUT', WRITE_TOKEN, 'first')).toBe(201);
    expect(await ask('/v1/cache/1234', 'PUT', WRITE_TOKEN, 'second')).toBe(409);
    const read = await fetch(`${server.url}/v1/cache/1234`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    expect(await read.text()).toBe('first');
    expect(await ask('/v1/cache/1234', 'DELETE', WRITE_TOKEN)).toBe(403);
    expect(await ask('/v1/cache/..%2f..%2frun%2fnginx.pid', 'GET', WRITE_TOKEN)).toBe(404);
    expect(await ask('/health', 'GET')).toBe(200);
    // The tokens were in nginx's configuration only while nginx read it.
    expect(await readdir(join(server.dir, 'run'))).not.toContain('nginx.conf');
    expect(server.output()).not.toContain(WRITE_TOKEN);
  });

  it('CI uploads, a laptop with cold caches replays, and cannot upload', async () => {
    const before = await entries(server);
    const upload = await nx(
      ci,
      ['run', 'backend:build'],
      machine(ci, {
        NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url,
        NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: WRITE_TOKEN,
      }),
    );
    expect(upload.exitCode, upload.output).toBe(0);
    expect(upload.executed).toEqual(['backend:build']);
    expect(await entries(server)).toBe(before + 1);

    const laptopEnv = machine(laptop, {
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: READ_TOKEN,
    });
    const replay = await nx(laptop, ['run', 'backend:build'], laptopEnv);
    expect(replay.exitCode, replay.output).toBe(0);
    expect(replay.cached).toEqual(['backend:build']);
    expect(replay.output).toContain('[remote cache]');
    expect((await stat(join(laptop.root, 'apps/backend/dist/main.js'))).size).toBeGreaterThan(0);

    await laptop.edit('apps/backend/src/main.ts', '\n', '\n// a laptop edit\n');
    const edited = await nx(laptop, ['run', 'backend:build'], laptopEnv);
    expect(edited.exitCode, edited.output).toBe(0);
    expect(edited.executed).toEqual(['backend:build']);
    expect(edited.output).not.toMatch(/Unauthorized|Remote cache .* this run/);
    expect(await entries(server)).toBe(before + 1);
  }, 240_000);

  it.each([
    ['is down', 'closed', READ_TOKEN, /cannot be reached \(ECONNREFUSED\)/],
    ['refuses the token', 'open', 'a-token-nobody-issued', /refused the access token \(401\)/],
  ])(
    'a server that %s costs the run its remote cache, not its success',
    async (_, state, token, problem) => {
      const url = state === 'closed' ? `http://127.0.0.1:${await freePort()}` : server.url;
      await laptop.edit(
        'apps/backend/src/main.ts',
        '\n',
        `\n// an edit while the cache is ${state}\n`,
      );
      const run = await nx(
        laptop,
        ['run', 'backend:build'],
        machine(laptop, {
          NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url,
          NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
        }),
      );
      expect(run.exitCode, run.output).toBe(0);
      expect(run.executed).toEqual(['backend:build']);
      expect(run.output).toMatch(problem);
      expect(run.output).toContain('this run uses the local cache only');
      expect(run.output).not.toContain(token);
      expect(run.output).not.toMatch(/Failed to send request|Unauthorized/);
    },
    120_000,
  );
});
