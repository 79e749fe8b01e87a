import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { migrationsFolder } from '../../src/boot.ts';
import { openDatabase } from '../../src/db/database.ts';
import { READINESS_WAIT_MS } from '../../src/health/health-routes.ts';
import { freshDatabase, startTestApp, type TestApp, testConfig } from '../support/app.ts';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it.each(['/readyz', '/api/readyz'])(
    'answers %s ready once migrations are current',
    async (path) => {
      const res = await t.request('GET', path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ready' });
    },
  );

  it('answers /healthz without touching the database', async () => {
    await t.database.close();
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it.each(['/readyz', '/api/readyz'])('answers %s 503 when the database is gone', async (path) => {
    const res = await t.request('GET', path);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', reason: 'database unreachable' });
  });
});

describe('readiness during the start-up migrations', () => {
  // The server listens before its migrations (main.ts); `started` settles when they are done.
  async function starting() {
    const db = await freshDatabase();
    const config = testConfig(db.env);
    const database = await openDatabase(config.database, migrationsFolder());
    let done = () => {};
    const started = new Promise<void>((resolve) => {
      done = resolve;
    });
    const app = await buildApp({ config, database, started });
    return {
      app,
      database,
      migrated: async () => {
        await database.migrate();
        done();
      },
      close: async () => {
        await app.close();
        await database.close();
        await db.cleanup();
      },
    };
  }

  it('holds a readiness check until they are done, then answers ready', async () => {
    const s = await starting();
    try {
      const asked = performance.now();
      const answer = s.app.inject({ method: 'GET', url: '/readyz' });
      await new Promise((resolve) => setTimeout(resolve, 150));
      await s.migrated();
      const res = await answer;
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ready' });
      expect(performance.now() - asked).toBeGreaterThanOrEqual(150);
    } finally {
      await s.close();
    }
  });

  it('answers 503 within its bound when they take longer, and at once afterwards', async () => {
    const s = await starting();
    try {
      const asked = performance.now();
      const res = await s.app.inject({ method: 'GET', url: '/readyz' });
      const waited = performance.now() - asked;
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', reason: 'migrations pending' });
      expect(waited).toBeGreaterThanOrEqual(READINESS_WAIT_MS - 50);
      expect(waited).toBeLessThan(READINESS_WAIT_MS + 1000);
      await s.migrated();
      const after = performance.now();
      expect((await s.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect(performance.now() - after).toBeLessThan(READINESS_WAIT_MS);
    } finally {
      await s.close();
    }
  });
});
