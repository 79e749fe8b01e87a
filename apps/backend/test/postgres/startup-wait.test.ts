// Start-up against a PostgreSQL server that is not there yet, as when the database pod
// restarts next to a starting backend pod. Runs in the postgres project only (it needs a
// real server to come up late).
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { freePort } from '@todo/test-support/free-port';
import { afterEach, expect, it } from 'vitest';
import { freshDatabase, type TestDatabaseHandle } from '../support/app.ts';
import { type BackendProcess, startBackend } from '../support/process.ts';

let db: TestDatabaseHandle | undefined;
let backend: BackendProcess | undefined;
afterEach(async () => {
  backend?.child.kill('SIGKILL');
  await db?.cleanup();
});

it('listens at once, waits for a database that comes up after the backend, then migrates and serves', async () => {
  db = await freshDatabase('postgres');
  const server = new URL(db.env.DATABASE_URL ?? '');
  const late = new URL(server);
  late.port = String(await freePort());

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const starting = startBackend({
    DATABASE_URL: late.toString(),
    DATABASE_WAIT_SECONDS: '30',
    PORT: String(port),
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  // It listens while it waits: alive, not ready, and the API asks to retry (no 500, no hang).
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const readiness = await fetch(`${url}/readyz`);
  expect([readiness.status, await readiness.json()]).toEqual([
    503,
    { status: 'unavailable', reason: 'database unreachable' },
  ]);
  const early = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'early@example.com', password: 'long enough' }),
  });
  expect(early.status).toBe(503);
  expect(early.headers.get('retry-after')).toBe('1');
  expect(await early.json()).toEqual({
    error: 'starting',
    message: expect.stringContaining('database migrations'),
    details: null,
  });
  // The "server" appears: a TCP relay on the port the backend has been trying.
  const relay = createServer((socket) => {
    const upstream = connect(Number(server.port), server.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  }).listen(Number(late.port), '127.0.0.1');
  await once(relay, 'listening');
  try {
    backend = await starting;
    expect((await fetch(`${backend.url}/readyz`)).status).toBe(200);
    const signup = await fetch(`${backend.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'early@example.com', password: 'long enough' }),
    });
    expect(signup.status).toBe(201);
    expect(backend.output()).toMatch(
      /Waiting for the database \(PostgreSQL at 127\.0\.0\.1:\d+\/test_\w+ from DATABASE_URL\): .*ECONNREFUSED[^;]*; attempt 1, next in 0\.1 s/,
    );
    // Retried soon at first (a rollout waits for it), then at most a second apart.
    const delays = [...backend.output().matchAll(/next in ([\d.]+) s/g)].map(([, s]) => Number(s));
    expect(delays.slice(0, 3)).toEqual([0.1, 0.2, 0.4]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1);
  } finally {
    backend?.child.kill('SIGKILL');
    relay.close();
  }
});
