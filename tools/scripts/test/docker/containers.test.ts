/**
 * Runs both images the way a cluster would: read-only root filesystem, /tmp as tmpfs, the
 * numeric user of the image, host networking on free loopback ports; then talks to them.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from '@todo/test-support/free-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import type { ImageRecord } from '../../lib/image-record.ts';
import { dockerBuild, waitFor } from './support.ts';

const run = randomBytes(4).toString('hex');
const names = { backend: `todo-backend-${run}`, frontend: `todo-frontend-${run}` };
let backend: ImageRecord;
let frontend: ImageRecord;
let backendPort: number;
let frontendPort: number;

/** `docker run` with the hardening the deploy uses; a fast health interval to observe HEALTHCHECK. */
function start(name: string, image: string, env: Record<string, string>) {
  const envArgs = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  return $`docker run --detach --name ${name} --network host --read-only --tmpfs /tmp --health-interval 1s --health-start-period 30s ${envArgs} ${image}`;
}

async function health(name: string): Promise<string> {
  const format = '{{.State.Health.Status}}';
  return (await $`docker inspect --format ${format} ${name}`).stdout.trim();
}

beforeAll(async () => {
  [backend, frontend] = await Promise.all([
    dockerBuild('backend').then((result) => result.record),
    dockerBuild('frontend').then((result) => result.record),
  ]);
  // Containers run with --network host, so a free loopback port is free for them too.
  backendPort = await freePort();
  // Two free ports asked for in turn may come back equal once the first is released.
  do frontendPort = await freePort();
  while (frontendPort === backendPort);
  // The secret is given at run time, never baked in; PGlite writes to the image's /data volume.
  await start(names.backend, backend.image, {
    PORT: String(backendPort),
    JWT_SECRET: randomBytes(32).toString('hex'),
  });
  await start(names.frontend, frontend.image, {
    PORT: String(frontendPort),
    BACKEND_URL: `http://127.0.0.1:${backendPort}`,
  });
  await untilReady(names.backend, `http://127.0.0.1:${backendPort}/readyz`);
  await untilReady(names.frontend, `http://127.0.0.1:${frontendPort}/healthz`);
});

/** On a container that never gets ready, the failure carries its state and logs. */
async function untilReady(name: string, url: string) {
  try {
    await waitFor(url);
  } catch (error) {
    const state = await $({
      nothrow: true,
      quiet: true,
    })`docker inspect --format ${'{{json .State}}'} ${name}`;
    const logs = await $({ nothrow: true, quiet: true })`docker logs --tail 50 ${name}`;
    throw new Error(
      `${(error as Error).message}\n${name} state: ${state.stdout.trim()}\n${name} logs:\n${logs.stdout}${logs.stderr}`,
    );
  }
}

afterAll(async () => {
  // --volumes: the backend's anonymous /data volume goes with its container.
  await $({ nothrow: true, quiet: true })`docker rm --force --volumes ${Object.values(names)}`;
});

describe('backend container', () => {
  it('is live and ready', async () => {
    expect((await fetch(`http://127.0.0.1:${backendPort}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${backendPort}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

describe('frontend container', () => {
  it('is live and serves the sign-up page', async () => {
    expect((await fetch(`http://127.0.0.1:${frontendPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${frontendPort}/signup`)).status).toBe(200);
  });

  it('signs up and round-trips a task through its /api proxy to the backend container', async () => {
    const api = `http://127.0.0.1:${frontendPort}/api`;
    const signup = await fetch(`${api}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `docker-${run}@example.com`, password: 'a long password' }),
    });
    expect(signup.status).toBe(201);
    const cookie = signup.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^session=/);
    const title = `ship the image ${run}`;
    const created = await fetch(`${api}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ title }),
    });
    expect(created.status).toBe(201);
    const list = await fetch(`${api}/tasks`, { headers: { cookie } });
    expect(JSON.stringify(await list.json())).toContain(title);
  });
});

describe.each(['backend', 'frontend'] as const)('%s container hardening', (app) => {
  it('runs as a non-root user', async () => {
    const uid = await $`docker exec ${names[app]} id -u`;
    expect(Number(uid.stdout.trim())).toBeGreaterThan(0);
  });

  it('works on a read-only root filesystem', async () => {
    const write = await $({ nothrow: true, quiet: true })`docker exec ${names[app]} touch /app/x`;
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toContain('Read-only file system');
  });

  it('reports healthy through its HEALTHCHECK', async () => {
    await expect.poll(() => health(names[app]), { timeout: 30_000, interval: 500 }).toBe('healthy');
  });
});

// Last: stops the containers the tests above use.
describe.each(['backend', 'frontend'] as const)('%s container on SIGTERM', (app) => {
  it('stops within 10 s', async () => {
    const started = performance.now();
    await $`docker stop --time 10 ${names[app]}`;
    const seconds = (performance.now() - started) / 1000;
    const format = '{{.State.ExitCode}}';
    const exitCode = Number((await $`docker inspect --format ${format} ${names[app]}`).stdout);
    // docker stop sends SIGKILL at the deadline, which gives 137; 0 or 143 means node ended on SIGTERM.
    expect([0, 143]).toContain(exitCode);
    expect(seconds).toBeLessThan(10);
  });
});
