import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.ts';

describe('accounts and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT_MAX: '3' } });
  });
  afterAll(() => t?.close());

  it('signs up, sets an httpOnly SameSite session cookie and returns a bearer token', async () => {
    const res = await t.request('POST', '/api/auth/signup', {
      body: { email: 'Ada@Example.com', password: 'analytical engine', name: 'Ada' },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'Ada@Example.com', name: 'Ada' });
    expect(res.body).not.toHaveProperty('user.passwordHash');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await t.request('GET', '/api/auth/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('Ada@Example.com');
  });

  it('accepts the session cookie as well as the bearer token', async () => {
    const login = await t.request('POST', '/api/auth/login', {
      body: { email: 'ada@example.com', password: 'analytical engine' },
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = await t.request('GET', '/api/auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('Ada@Example.com');
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const res = await t.request('POST', '/api/auth/signup', {
      body: { email: 'ADA@example.com', password: 'another password' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'email_taken' });
  });

  it('stores passwords as salted scrypt hashes', async () => {
    const { rows } = (await t.database.db.execute(
      'SELECT password_hash FROM users' as never,
    )) as unknown as { rows: { password_hash: string }[] };
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/);
    expect(rows[0]?.password_hash).not.toContain('analytical');
  });

  it('rejects a wrong password and an unknown email with the same answer', async () => {
    const wrong = await t.request('POST', '/api/auth/login', {
      body: { email: 'grace@example.com', password: 'not the password' },
    });
    const unknown = await t.request('POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('rate-limits repeated login attempts for an account', async () => {
    const attempt = () =>
      t.request('POST', '/api/auth/login', {
        body: { email: 'target@example.com', password: 'guess guess guess' },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await attempt();
    expect(limited.body).toMatchObject({ error: 'rate_limited' });
    expect(limited.body.message).toMatch(/try again/);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });

  it('rejects missing, malformed, tampered and expired tokens', async () => {
    const user = await t.signUp();
    expect((await t.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { token: 'not-a-jwt' })).status).toBe(401);
    const [h, p, s] = user.token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: '1', iss: 'todo-chatbot', exp: 9e9 })).toString('base64url')}.${s}`;
    expect(p).toBeTruthy();
    expect((await t.request('GET', '/api/auth/me', { token: tampered })).status).toBe(401);

    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(user.id))
      .setIssuer('todo-chatbot')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const res = await t.request('GET', '/api/auth/me', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthorized' });
  });

  it('logs out by clearing the cookie', async () => {
    const res = await t.request('POST', '/api/auth/logout');
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('logout ends that session server-side; the same user’s other sessions go on', async () => {
    const email = `logout-${Date.now()}@example.com`;
    const first = await t.signUp(email, 'correct horse battery');
    const login = await t.request('POST', '/api/auth/login', {
      body: { email, password: 'correct horse battery' },
    });
    const second = login.body.token as string;
    const cookie = `session=${second}`;
    expect((await t.request('GET', '/api/auth/me', { token: first.token })).status).toBe(200);

    expect((await t.request('POST', '/api/auth/logout', { token: first.token })).status).toBe(204);
    const after = await t.request('GET', '/api/auth/me', { token: first.token });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: 'unauthorized' });
    expect((await t.request('GET', '/api/tasks', { token: first.token })).status).toBe(401);

    // The other session (here as a cookie) still works, until it logs out in turn.
    expect((await t.request('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(200);
    expect((await t.request('POST', '/api/auth/logout', { headers: { cookie } })).status).toBe(204);
    expect((await t.request('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a well-signed token that has no session id (one that could never be ended)', async () => {
    const legacy = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuer('todo-chatbot')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    expect((await t.request('GET', '/api/auth/me', { token: legacy })).status).toBe(401);
  });

  it('deletes an account with all its tasks', async () => {
    const user = await t.signUp();
    await t.request('POST', '/api/tasks', { token: user.token, body: { title: 'x' } });
    expect((await t.request('DELETE', '/api/auth/me', { token: user.token })).status).toBe(204);
    expect((await t.request('GET', '/api/auth/me', { token: user.token })).status).toBe(401);
    const orphan = await t.request('POST', '/api/tasks', {
      token: user.token,
      body: { title: 'y' },
    });
    expect(orphan.status).toBe(401);
    expect(orphan.body.message).toMatch(/no longer exists/);
    const chat = await t.request('POST', '/api/chat', {
      token: user.token,
      body: { message: 'hi' },
    });
    expect(chat.status).toBe(401);
    const login = await t.request('POST', '/api/auth/login', {
      body: { email: user.email, password: 'correct horse battery' },
    });
    expect(login.status).toBe(401);
  });

  it('validates sign-up input field by field', async () => {
    const res = await t.request('POST', '/api/auth/signup', {
      body: { email: 'not-an-email', password: 'short' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_error');
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['email', 'password']);
  });
});

describe('a burst of sign-ups and logins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_HASH_CONCURRENCY: '1', AUTH_HASH_QUEUE: '2' } });
  });
  afterAll(() => t?.close());

  it('is answered 201, 401 or 429 with Retry-After: never a 5xx, never a crash', async () => {
    const signUps = Array.from({ length: 8 }, (_, i) =>
      t.request('POST', '/api/auth/signup', {
        body: { email: `burst${i}@example.com`, password: 'correct horse battery' },
      }),
    );
    const logins = Array.from({ length: 4 }, (_, i) =>
      t.request('POST', '/api/auth/login', {
        body: { email: `burst${i}@example.com`, password: 'wrong horse battery' },
      }),
    );
    const answers = await Promise.all([...signUps, ...logins]);
    const statuses = answers.map((answer) => answer.status);
    expect(
      statuses.every((status) => [201, 401, 429].includes(status)),
      String(statuses),
    ).toBe(true);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({
        error: 'busy',
        message: expect.stringMatching(/retry in/),
      });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Drained: the same server takes sign-ups again.
    expect((await t.signUp()).token).toBeTruthy();
  });
});

describe('the login limit’s window', () => {
  // The counters run on the database's clock, so the test waits the window out for real. A
  // window several times a loaded machine's request time keeps both attempts of a pair in one.
  const WINDOW_S = 4;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { LOGIN_RATE_LIMIT_MAX: '1', LOGIN_RATE_LIMIT_WINDOW_MS: String(WINDOW_S * 1000) },
    });
  });
  afterAll(() => t?.close());

  it('starts again once it has passed, with Retry-After counting down to it', async () => {
    const attempt = () =>
      t.request('POST', '/api/auth/login', {
        body: { email: 'window@example.com', password: 'guess guess guess' },
      });
    // Two at once land in one window however slow a password check is on a busy machine.
    const pair = async () => {
      const answers = await Promise.all([attempt(), attempt()]);
      return answers.sort((a, b) => a.status - b.status);
    };
    const [allowed, limited] = await pair();
    expect([allowed?.status, limited?.status]).toEqual([401, 429]);
    // The limit's own refusal, not the password hasher's "busy" one.
    expect(limited?.body).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited?.headers.get('retry-after'))).toBeLessThanOrEqual(WINDOW_S);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000 + 100));
    expect((await pair()).map((answer) => answer.status)).toEqual([401, 429]);
  });
});

describe('the client address the login limit keys on', () => {
  const guess = (t: TestApp, forwardedFor?: string) =>
    t.request('POST', '/api/auth/login', {
      body: { email: 'shared@example.com', password: 'guess guess guess' },
      ...(forwardedFor && { headers: { 'x-forwarded-for': forwardedFor } }),
    });

  it('behind one proxy (TRUST_PROXY_HOPS=1), is the one that proxy appended', async () => {
    const t = await startTestApp({ env: { LOGIN_RATE_LIMIT_MAX: '1', TRUST_PROXY_HOPS: '1' } });
    try {
      // One client exhausting the limit for an email does not lock another client out of it.
      expect((await guess(t, '198.51.100.1')).status).toBe(401);
      expect((await guess(t, '198.51.100.1')).status).toBe(429);
      expect((await guess(t, '198.51.100.2')).status).toBe(401);
      // What a client wrote further left does not make it someone else.
      expect((await guess(t, '203.0.113.7, 198.51.100.1')).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('with no proxy trusted (the default), is the connection whatever the header says', async () => {
    const t = await startTestApp({ env: { LOGIN_RATE_LIMIT_MAX: '1' } });
    try {
      expect((await guess(t, '198.51.100.1')).status).toBe(401);
      expect((await guess(t, '198.51.100.2')).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe('address-wide limits: sign-ups, and logins over all emails', () => {
  // TRUST_PROXY_HOPS=1: each request names its client the way the frontend's proxy does.
  const from = (client: string) => ({ 'x-forwarded-for': client });
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        TRUST_PROXY_HOPS: '1',
        SIGNUP_RATE_LIMIT_MAX: '2',
        LOGIN_ADDRESS_RATE_LIMIT_MAX: '3',
        LOGIN_RATE_LIMIT_MAX: '100',
      },
    });
  });
  afterAll(() => t?.close());

  let accounts = 0;
  const signUp = (client?: string) =>
    t.request('POST', '/api/auth/signup', {
      body: { email: `limited-${++accounts}@example.com`, password: 'long enough password' },
      ...(client && { headers: from(client) }),
    });
  const login = (email: string, client?: string) =>
    t.request('POST', '/api/auth/login', {
      body: { email, password: 'sprayed password' },
      ...(client && { headers: from(client) }),
    });

  it('limits sign-ups per address, naming the limit, and leaves other addresses alone', async () => {
    expect((await signUp('198.51.100.10')).status).toBe(201);
    expect((await signUp('198.51.100.10')).status).toBe(201);
    const refused = await signUp('198.51.100.10');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      error: 'rate_limited',
      message: expect.stringMatching(/^Too many sign-ups from this address; try again in/),
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect((await signUp('198.51.100.11')).status).toBe(201);
  });

  it('counts an IPv6 client as its /64: other addresses in it do not start afresh', async () => {
    expect((await signUp('2001:db8:0:7::1')).status).toBe(201);
    expect((await signUp('2001:db8:0:7::2')).status).toBe(201);
    expect((await signUp('2001:db8:0:7:ffff::3')).status).toBe(429);
    expect((await signUp('2001:db8:0:8::1')).status).toBe(201);
  });

  it('limits logins per address over all emails: one password sprayed over many accounts', async () => {
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com'])
      expect((await login(email, '198.51.100.20')).status).toBe(401);
    const refused = await login('d@example.com', '198.51.100.20');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/^Too many login attempts from this address; try again/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await login('d@example.com', '198.51.100.21')).status).toBe(401);
  });

  it('does not count loopback: kubectl port-forward, as the deploy smoke test uses', async () => {
    for (let i = 0; i < 4; i++) expect((await signUp()).status).toBe(201);
    for (const email of ['e@example.com', 'f@example.com', 'g@example.com', 'h@example.com'])
      expect((await login(email)).status).toBe(401);
  });
});
