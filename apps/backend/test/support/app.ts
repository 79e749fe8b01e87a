// The test helper owns the app: each call starts a real server on a free port with its own
// database, so tests talk HTTP exactly like clients do and never share rows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { migrationsFolder } from '../../src/boot.ts';
import type { Agent } from '../../src/chat/agent.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { createTestDatabase } from './databases.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** Which database this vitest project runs against (see vitest.config.ts). */
export const databaseKind: DatabaseKind =
  process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!';

export interface TestDatabaseHandle {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A fresh, empty database of the project's kind, described as the env vars that select it. */
export async function freshDatabase(
  kind: DatabaseKind = databaseKind,
): Promise<TestDatabaseHandle> {
  if (kind === 'postgres') {
    const db = await createTestDatabase(inject('postgresAdminUrl'));
    return { env: { DATABASE_URL: db.url }, cleanup: db.drop };
  }
  const dir = await mkdtemp(join(tmpdir(), 'todo-pglite-'));
  return { env: { DATA_DIR: dir }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
}

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent verbatim, for malformed payloads. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestUser {
  id: number;
  email: string;
  token: string;
}

export interface TestApp {
  url: string;
  app: FastifyInstance;
  database: Database;
  config: Config;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Response<T>>;
  signUp(email?: string, password?: string): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestApp(
  options: { env?: Record<string, string>; agent?: Agent; db?: TestDatabaseHandle } = {},
): Promise<TestApp> {
  const db = options.db ?? (await freshDatabase());
  const config = testConfig({ ...db.env, ...options.env });
  const database = await openDatabase(config.database, migrationsFolder());
  await database.migrate();
  const app = await buildApp({ config, database, ...(options.agent && { agent: options.agent }) });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });

  const request: TestApp['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined = opts.rawBody;
    if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${address}${path}`, { method, headers, body: payload ?? null });
    const text = await res.text();
    let body: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: body as never };
  };

  return {
    url: address,
    app,
    database,
    config,
    request,
    async signUp(
      email = `user${process.pid}-${++counter}@example.com`,
      password = 'correct horse battery',
    ) {
      const res = await request('POST', '/api/auth/signup', { body: { email, password } });
      if (res.status !== 201)
        throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.user.id, email, token: res.body.token };
    },
    async close() {
      await app.close();
      await database.close();
      if (!options.db) await db.cleanup();
    },
  };
}
