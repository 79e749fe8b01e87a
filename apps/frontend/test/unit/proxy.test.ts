import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@todo/test-support/free-port';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BODY_LIMIT_BYTES,
  backendUrlFor,
  DEFAULT_TIMEOUT_MS,
  forward,
  headersForBackend,
  headersForClient,
  ProxyConfigError,
  readProxyConfig,
} from '../../src/lib/server/proxy';

describe('readProxyConfig', () => {
  test('defaults to a backend on localhost:8000', () => {
    const config = readProxyConfig({});
    expect(config.backendUrl.href).toBe('http://localhost:8000/');
    expect(config.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
  });

  test('reads BACKEND_URL and BACKEND_TIMEOUT_MS at run time', () => {
    const config = readProxyConfig({
      BACKEND_URL: ' http://backend.todo.svc:8000 ',
      BACKEND_TIMEOUT_MS: '1500',
    });
    expect(config.backendUrl.host).toBe('backend.todo.svc:8000');
    expect(config.timeoutMs).toBe(1500);
    expect(config.bodyLimitBytes).toBe(BODY_LIMIT_BYTES);
  });

  test.each([
    [{ BACKEND_URL: 'not a url' }, /not a URL/],
    [{ BACKEND_URL: 'ftp://backend' }, /must be http/],
    [{ BACKEND_TIMEOUT_MS: '0' }, /positive integer/],
    [{ BACKEND_TIMEOUT_MS: 'soon' }, /positive integer/],
    [{ BACKEND_TIMEOUT_MS: '1e400' }, /BACKEND_TIMEOUT_MS must be a positive integer/],
  ])('rejects %o', (env, message) => {
    expect(() => readProxyConfig(env)).toThrow(ProxyConfigError);
    expect(() => readProxyConfig(env)).toThrow(message);
  });
});

test('backendUrlFor keeps the path, the query and a path prefix of BACKEND_URL', () => {
  const request = new URL('http://app.example/api/tasks?status=active&q=milk');
  expect(backendUrlFor(new URL('http://backend:8000'), request).href).toBe(
    'http://backend:8000/api/tasks?status=active&q=milk',
  );
  expect(backendUrlFor(new URL('http://gateway/todo/'), request).href).toBe(
    'http://gateway/todo/api/tasks?status=active&q=milk',
  );
});

describe('headers', () => {
  test('hop-by-hop headers, host and content-length stay behind; the rest goes to the backend', () => {
    const incoming = new Headers({
      host: 'app.example',
      connection: 'keep-alive, x-private-hop',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'x-private-hop': 'secret',
      'content-length': '12',
      upgrade: 'websocket',
      cookie: 'session=abc; theme=dark',
      authorization: 'Bearer token',
      'content-type': 'application/json',
      'x-forwarded-for': '203.0.113.9',
    });
    const outgoing = headersForBackend(incoming);
    expect([...outgoing.keys()].sort()).toEqual([
      'authorization',
      'content-type',
      'cookie',
      'x-forwarded-for',
    ]);
    expect(outgoing.get('cookie')).toBe('session=abc; theme=dark');
  });

  test('every set-cookie reaches the client on its own; encoding and length are dropped', () => {
    const upstream = new Headers([
      ['content-type', 'application/json'],
      ['content-encoding', 'gzip'],
      ['content-length', '99'],
      ['connection', 'close'],
      ['set-cookie', 'session=abc; Path=/; HttpOnly; Expires=Sun, 29 Nov 2026 00:00:00 GMT'],
      ['set-cookie', 'theme=dark; Path=/'],
      ['x-request-id', 'r-1'],
    ]);
    const outgoing = headersForClient(upstream);
    expect(outgoing.getSetCookie()).toEqual([
      'session=abc; Path=/; HttpOnly; Expires=Sun, 29 Nov 2026 00:00:00 GMT',
      'theme=dark; Path=/',
    ]);
    expect(outgoing.has('content-encoding')).toBe(false);
    expect(outgoing.has('content-length')).toBe(false);
    expect(outgoing.has('connection')).toBe(false);
    expect(outgoing.get('x-request-id')).toBe('r-1');
  });
});

describe('forward, against a real HTTP server', () => {
  const BODY_LIMIT = 4096;
  let server: Server;
  let requestsSeen = 0;
  let backendUrl: URL;
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => resolve(body));
    });

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    '/api/echo': async (req, res) => {
      const body = await readBody(req);
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    },
    '/api/empty': async (_req, res) => {
      res.writeHead(204);
      res.end();
    },
    '/api/moved': async (_req, res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    },
    '/api/slow': async (_req, res) => {
      setTimeout(() => res.end('late'), 2000);
    },
    // Resets the connection of every other request, like a replica closing its kept-alive
    // connections as it shuts down.
    '/api/flaky': async (req, res) => {
      flakyAttempts++;
      if (flakyAttempts % 2 === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method }));
    },
  };
  let flakyAttempts = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requestsSeen++;
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
      if (route) void route(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    backendUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('passes method, path, query, body, cookies, status and every set-cookie through', async () => {
    const request = new Request('http://app.example/api/echo?x=1', {
      method: 'PATCH',
      headers: { cookie: 'session=abc', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'buy milk' }),
    });
    const response = await forward(request, {
      backendUrl,
      timeoutMs: 5000,
      bodyLimitBytes: BODY_LIMIT,
    });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    const echoed = await response.json();
    expect(echoed).toMatchObject({
      method: 'PATCH',
      url: '/api/echo?x=1',
      body: '{"title":"buy milk"}',
      headers: { cookie: 'session=abc', 'content-type': 'application/json' },
    });
    expect(echoed.headers.host).toBe(backendUrl.host);
  });

  test('an empty answer stays empty, and redirects are the client’s to follow', async () => {
    const empty = await forward(new Request('http://app.example/api/empty', { method: 'DELETE' }), {
      backendUrl,
      timeoutMs: 5000,
      bodyLimitBytes: BODY_LIMIT,
    });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();

    const moved = await forward(new Request('http://app.example/api/moved'), {
      backendUrl,
      timeoutMs: 5000,
      bodyLimitBytes: BODY_LIMIT,
    });
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe('/elsewhere');
  });

  test('a backend slower than the timeout gets a 504 in the API’s error shape', async () => {
    const response = await forward(new Request('http://app.example/api/slow'), {
      backendUrl,
      timeoutMs: 100,
      bodyLimitBytes: BODY_LIMIT,
    });
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({
      error: 'backend_timeout',
      message: 'The backend did not answer within 0.1 s; try again',
      details: { timeoutMs: 100 },
    });
  });

  test('an unreachable backend gets a 502 that says so', async () => {
    const closed = new URL(`http://127.0.0.1:${await freePort()}`);
    const response = await forward(new Request('http://app.example/api/tasks'), {
      backendUrl: closed,
      timeoutMs: 5000,
      bodyLimitBytes: BODY_LIMIT,
    });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: 'backend_unreachable',
      message: 'The backend is unreachable right now; try again in a moment',
      details: { code: 'ECONNREFUSED' },
    });
  });

  test('sends an idempotent request once more when the connection is reset', async () => {
    flakyAttempts = 0;
    const response = await forward(new Request('http://frontend.test/api/flaky'), {
      backendUrl,
      timeoutMs: 5000,
      bodyLimitBytes: BODY_LIMIT,
    });
    expect(response.status).toBe(200);
    expect(flakyAttempts).toBe(2);
  });

  test('never repeats a POST: a reset connection is a 502', async () => {
    flakyAttempts = 0;
    const response = await forward(
      new Request('http://frontend.test/api/flaky', { method: 'POST', body: '{}' }),
      { backendUrl, timeoutMs: 5000, bodyLimitBytes: BODY_LIMIT },
    );
    expect(response.status).toBe(502);
    expect(flakyAttempts).toBe(1);
  });

  describe('a request body over the limit', () => {
    /** A body of `chunks` x 1 KiB sent without a length, counting what the proxy pulls. */
    function trickle(chunks: number) {
      const stats = { pulledBytes: 0, cancelled: false };
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ === chunks) return controller.close();
          stats.pulledBytes += 1024;
          controller.enqueue(new Uint8Array(1024).fill(120));
        },
        cancel() {
          stats.cancelled = true;
        },
      });
      const request = new Request('http://frontend.test/api/echo', {
        method: 'POST',
        body,
        duplex: 'half',
      } as RequestInit);
      return { request, stats };
    }

    test('declared by content-length: 413 in the API shape, nothing read or forwarded', async () => {
      requestsSeen = 0;
      const request = new Request('http://frontend.test/api/echo', {
        method: 'POST',
        headers: { 'content-length': String(200 * 1024 * 1024) },
        body: 'x',
      });
      const response = await forward(request, {
        backendUrl,
        timeoutMs: 5000,
        bodyLimitBytes: BODY_LIMIT,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        error: 'payload_too_large',
        message: 'The request body is larger than 4096 bytes',
        details: { limitBytes: BODY_LIMIT },
      });
      expect(requestsSeen).toBe(0);
    });

    test('sent without a length: read only up to the limit, then refused, never forwarded', async () => {
      requestsSeen = 0;
      // 200 MB if it were read whole.
      const { request, stats } = trickle(200 * 1024);
      const response = await forward(request, {
        backendUrl,
        timeoutMs: 5000,
        bodyLimitBytes: BODY_LIMIT,
      });
      expect(response.status).toBe(413);
      expect(stats.pulledBytes).toBeLessThanOrEqual(BODY_LIMIT + 2 * 1024);
      expect(stats.cancelled).toBe(true);
      expect(requestsSeen).toBe(0);
    });

    test('a body of exactly the limit is forwarded whole', async () => {
      const { request } = trickle(BODY_LIMIT / 1024);
      const response = await forward(request, {
        backendUrl,
        timeoutMs: 5000,
        bodyLimitBytes: BODY_LIMIT,
      });
      expect(response.status).toBe(201);
      expect((await response.json()).body).toBe('x'.repeat(BODY_LIMIT));
    });

    test('the default limit is the backend’s, in its words', async () => {
      const request = new Request('http://frontend.test/api/echo', {
        method: 'POST',
        headers: { 'content-length': String(BODY_LIMIT_BYTES + 1) },
        body: 'x',
      });
      const response = await forward(request, readProxyConfig({ BACKEND_URL: backendUrl.href }));
      expect((await response.json()).message).toBe('The request body is larger than 1 MB');
    });
  });
});
