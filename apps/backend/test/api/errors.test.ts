import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../support/app.ts';

/** Client mistakes answer 4xx with {error, message, details}; nothing leaks a stack trace. */
describe('bad requests', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    user = await t.signUp();
  });
  afterAll(() => t?.close());

  const expectErrorShape = (body: Record<string, unknown>) => {
    expect(Object.keys(body).sort()).toEqual(['details', 'error', 'message']);
    expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  };

  it('malformed JSON → 400 invalid_json', async () => {
    const res = await t.request('POST', '/api/tasks', { token: user.token, rawBody: '{"title": ' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
    expectErrorShape(res.body);
  });

  it('a body over 1 MB → 413', async () => {
    const res = await t.request('POST', '/api/tasks', {
      token: user.token,
      body: { title: 'big', description: 'x'.repeat(1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
    expectErrorShape(res.body);
  });

  it('a body that is not JSON → 415', async () => {
    const res = await t.request('POST', '/api/tasks', {
      token: user.token,
      rawBody: 'title=hello',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expectErrorShape(res.body);
  });

  it("the router's own refusals leave in the API's shape too", async () => {
    const long = await t.request('GET', `/api/tasks/${'9'.repeat(150)}`, { token: user.token });
    expect(long.status).toBe(414);
    expect(long.body).toEqual({
      error: 'uri_too_long',
      message: 'A path parameter is longer than 100 characters',
      details: null,
    });
    const malformed = await t.request('GET', '/api/tasks/%E0%A4%A', { token: user.token });
    expect(malformed.status).toBe(400);
    expectErrorShape(malformed.body);
  });

  it('an unknown route → 404 JSON', async () => {
    const res = await t.request('GET', '/api/nothing-here?x=1');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'not_found',
      message: 'No route for GET /api/nothing-here',
      details: null,
    });
  });

  it('a wrong method → 404 JSON', async () => {
    const res = await t.request('PUT', '/api/auth/login', { body: {} });
    expect(res.status).toBe(404);
    expectErrorShape(res.body);
  });

  it('an internal failure → 500 without details, logged with the request id', async () => {
    // A query that fails on the server's side (its table is gone) after the session check.
    await t.database.db.execute(sql`DROP TABLE tasks CASCADE`);
    const res = await t.request('GET', '/api/tasks', { token: user.token });
    expect(res.status).toBe(500);
    expectErrorShape(res.body);
    expect(res.body.error).toBe('internal_error');
    expect(res.body.details.requestId).toBe(res.headers.get('x-request-id'));
  });
});

describe('request ids and the API description', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('echoes a caller-supplied request id and makes one up otherwise', async () => {
    const given = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await t.request('GET', '/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves an OpenAPI 3 description of every API route', async () => {
    const res = await t.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/auth/signup',
      '/api/auth/login',
      '/api/tasks/',
      '/api/tasks/{id}',
      '/api/chat',
    ]) {
      expect(paths).toContain(p);
    }
    const create = res.body.paths['/api/tasks/'].post;
    expect(create.requestBody.content['application/json'].schema.required).toContain('title');
  });
});
