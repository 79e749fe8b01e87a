/**
 * Two replicas of the backend on one PostgreSQL database, as the chart runs them. What one
 * replica learns holds on the other: a logout ends the session everywhere (on the other
 * replica within SESSION_RECHECK_MS, although it has verified and cached the token), and login
 * attempts are counted together, so more replicas never mean more guesses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_RECHECK_MS } from '../../src/auth/tokens.ts';
import {
  freshDatabase,
  startTestApp,
  type TestApp,
  type TestDatabaseHandle,
} from '../support/app.ts';

describe('state shared by replicas', () => {
  let db: TestDatabaseHandle;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
    const env = { LOGIN_RATE_LIMIT_MAX: '3' };
    a = await startTestApp({ db, env });
    b = await startTestApp({ db, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.cleanup();
  });

  it('a session ended on one replica is refused by the other', async () => {
    const user = await a.signUp();
    expect((await a.request('GET', '/api/auth/me', { token: user.token })).status).toBe(200);
    expect((await b.request('GET', '/api/auth/me', { token: user.token })).status).toBe(200);

    expect((await b.request('POST', '/api/auth/logout', { token: user.token })).status).toBe(204);
    // At once where the logout was answered; on the other replica within SESSION_RECHECK_MS.
    expect((await b.request('GET', '/api/auth/me', { token: user.token })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, SESSION_RECHECK_MS + 100));
    expect((await a.request('GET', '/api/auth/me', { token: user.token })).status).toBe(401);
  });

  it('login attempts are limited across replicas, not per replica', async () => {
    const attempt = (app: TestApp) =>
      app.request('POST', '/api/auth/login', {
        body: { email: 'shared-target@example.com', password: 'guess guess guess' },
      });
    const statuses = [];
    for (const app of [a, b, a, b, a]) statuses.push((await attempt(app)).status);
    // Three attempts allowed in all; with a counter per replica the fourth would be a 401 too.
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
