/**
 * Two replicas of the backend on one PostgreSQL database, as the chart runs them: a logout
 * answered by one must end the session on the other at once, although the other has already
 * verified (and cached) the token's signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshDatabase,
  startTestApp,
  type TestApp,
  type TestDatabaseHandle,
} from '../support/app.ts';

describe('logout across replicas', () => {
  let db: TestDatabaseHandle;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
    a = await startTestApp({ db });
    b = await startTestApp({ db });
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
    expect((await a.request('GET', '/api/auth/me', { token: user.token })).status).toBe(401);
    expect((await b.request('GET', '/api/auth/me', { token: user.token })).status).toBe(401);
  });
});
