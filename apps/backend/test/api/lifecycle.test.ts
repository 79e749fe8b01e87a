import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/boot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { freshDatabase, type TestDatabaseHandle } from '../support/app.ts';
import { runToExit, startBackend } from '../support/process.ts';

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('migrations', () => {
  let db: TestDatabaseHandle;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db?.cleanup());

  it('number the tasks a database already holds, per user, in the order they were created', async () => {
    const other = await freshDatabase();
    // The migrations as they were before task numbers: the journal's first three entries.
    const before = await mkdtemp(join(tmpdir(), 'migrations-before-'));
    await cp(migrationsFolder(), before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8'));
    const numbering = journal.entries.findIndex((entry: { tag: string }) =>
      entry.tag.endsWith('_task_numbers'),
    );
    journal.entries = journal.entries.slice(0, numbering);
    await writeFile(journalPath, JSON.stringify(journal));
    const run = async (sqlText: string) =>
      ((await old.db.execute(sqlText as never)) as unknown as { rows: Record<string, unknown>[] })
        .rows;
    const old = await openDatabase(loadConfig(other.env).database, before);
    try {
      await old.migrate();
      await run(
        "INSERT INTO users (email, password_hash) VALUES ('a@example.com', 'x'), ('b@example.com', 'x')",
      );
      await run(`INSERT INTO tasks (user_id, title, created_at) VALUES
        ((SELECT id FROM users WHERE email = 'a@example.com'), 'a first', '2026-01-01'),
        ((SELECT id FROM users WHERE email = 'b@example.com'), 'b first', '2026-01-02'),
        ((SELECT id FROM users WHERE email = 'a@example.com'), 'a second', '2026-01-03'),
        ((SELECT id FROM users WHERE email = 'a@example.com'), 'a third', '2026-01-04')`);
    } finally {
      await old.close();
    }
    const current = await openDatabase(loadConfig(other.env).database, migrationsFolder());
    try {
      await current.migrate();
      const rows = (
        (await current.db.execute(
          'SELECT u.email, t.title, t.number, u.last_task_number FROM tasks t JOIN users u ON u.id = t.user_id ORDER BY t.title' as never,
        )) as unknown as { rows: Record<string, unknown>[] }
      ).rows;
      expect(rows).toEqual([
        { email: 'a@example.com', title: 'a first', number: 1, last_task_number: 3 },
        { email: 'a@example.com', title: 'a second', number: 2, last_task_number: 3 },
        { email: 'a@example.com', title: 'a third', number: 3, last_task_number: 3 },
        { email: 'b@example.com', title: 'b first', number: 1, last_task_number: 1 },
      ]);
    } finally {
      await current.close();
      await rm(before, { recursive: true, force: true });
      await other.cleanup();
    }
  });

  it('apply to an empty database, then are a no-op on an up-to-date one', async () => {
    const database = await openDatabase(loadConfig(db.env).database, migrationsFolder());
    try {
      expect(await database.isMigrated()).toBe(false);
      await database.migrate();
      expect(await database.isMigrated()).toBe(true);
      await database.db.execute(
        "INSERT INTO users (email, password_hash) VALUES ('keep@example.com', 'x')" as never,
      );
      await database.migrate();
      expect(await database.isMigrated()).toBe(true);
      const { rows } = (await database.db.execute(
        'SELECT email FROM users' as never,
      )) as unknown as {
        rows: { email: string }[];
      };
      expect(rows).toEqual([{ email: 'keep@example.com' }]);
    } finally {
      await database.close();
    }
  });
});

describe('the migrate command and readiness', () => {
  it('keeps /readyz at 503 until `migrate` has run, when start-up migrations are off', async () => {
    const db = await freshDatabase();
    try {
      const first = await startBackend({ ...db.env, MIGRATE_ON_START: 'false' });
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${first.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        status: 'unavailable',
        reason: 'migrations pending',
      });
      // PGlite allows one process per data directory, so the server stops before migrating.
      first.child.kill('SIGTERM');
      expect((await first.exited).code).toBe(0);

      const migrated = await runToExit('migrate.ts', db.env);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).toContain('migrations applied');

      const second = await startBackend({ ...db.env, MIGRATE_ON_START: 'false' });
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    } finally {
      await db.cleanup();
    }
  });
});

describe('boot errors', () => {
  it('stops with one message per bad variable, without the secret or a stack trace', async () => {
    const result = await runToExit('main.ts', {
      JWT_SECRET: 'tooshort-secret-value',
      PORT: '99999',
      LLM_PROVIDER: 'openai',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('JWT_SECRET: must be at least 32 bytes long');
    expect(result.stderr).toContain('PORT: expected a whole number from 0 to 65535');
    expect(result.stderr).toContain('LLM_API_KEY: is required when LLM_PROVIDER=openai');
    expect(result.stderr).toContain('.env.example');
    expect(result.stderr + result.stdout).not.toContain('tooshort-secret-value');
    noStackTrace(result.stderr);
  });

  it('says which database it could not reach, without the password', async () => {
    const result = await runToExit('main.ts', {
      DATABASE_URL: 'postgres://app:s3cret-pw@127.0.0.1:1/todo',
      DATABASE_WAIT_SECONDS: '1',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /PostgreSQL at 127\.0\.0\.1:1\/todo from DATABASE_URL: .*ECONNREFUSED.* \(no answer within DATABASE_WAIT_SECONDS=1\)/,
    );
    expect(result.stderr + result.stdout).not.toContain('s3cret-pw');
    noStackTrace(result.stderr);
  });
});

describe('graceful shutdown', () => {
  let provider: Server;
  let providerUrl: string;
  beforeAll(async () => {
    // An LLM provider that takes a while, so a chat request is still in flight at SIGTERM.
    provider = createServer((req, res) => {
      req.resume();
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            id: 'c1',
            object: 'chat.completion',
            created: 0,
            model: 'slow',
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                message: { role: 'assistant', content: 'done slowly' },
              },
            ],
          }),
        );
      }, 1500);
    }).listen(0, '127.0.0.1');
    await once(provider, 'listening');
    providerUrl = `http://127.0.0.1:${(provider.address() as { port: number }).port}/v1`;
  });
  afterAll(() => {
    provider?.closeAllConnections();
    provider?.close();
  });

  it('drains on SIGTERM: serves on, ending each connection, finishes in-flight requests, exits 0', async () => {
    const db = await freshDatabase();
    try {
      const backend = await startBackend({
        ...db.env,
        LLM_PROVIDER: 'custom',
        LLM_BASE_URL: providerUrl,
        LLM_MODEL: 'slow',
      });
      const signup = await fetch(`${backend.url}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'slow@example.com', password: 'long enough' }),
      });
      // Clients learn to close idle connections before the server would.
      expect(signup.headers.get('keep-alive')).toBe('timeout=5');
      const { token } = (await signup.json()) as { token: string };
      const inFlight = fetch(`${backend.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ message: 'hello' }),
      });
      await new Promise((r) => setTimeout(r, 400));
      const signalledAt = Date.now();
      backend.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));

      const duringDrain = await fetch(`${backend.url}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ title: 'written while draining' }),
      });
      expect(duringDrain.status).toBe(201);
      expect(duringDrain.headers.get('connection')).toBe('close');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { reply: string }).reply).toBe('done slowly');
      const finished = await backend.exited;
      expect(finished.code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
      expect(finished.stdout).toContain('shutting down');
      await expect(fetch(`${backend.url}/healthz`)).rejects.toThrow();
    } finally {
      await db.cleanup();
    }
  });
});
