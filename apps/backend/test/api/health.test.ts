import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

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
