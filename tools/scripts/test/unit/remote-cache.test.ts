import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NOTICE_VARIABLE,
  offLine,
  printableServer,
  probeProblem,
  remoteCacheOff,
} from '../../lib/remote-cache.ts';

describe('the remote cache probe', () => {
  it.each([
    [{ status: 404 }, true, undefined],
    [{ status: 200 }, false, undefined],
    [
      { status: 401 },
      true,
      /refused the access token \(401\): check NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN/,
    ],
    [
      { status: 401 },
      false,
      /needs an access token \(401\): set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN/,
    ],
    [{ status: 403 }, true, /refused reads with this access token \(403\)/],
    [{ status: 502 }, true, /answered 502 to a cache read/],
    [{ error: 'ECONNREFUSED' }, true, /cannot be reached \(ECONNREFUSED\)/],
  ])('judges %j (token: %s)', (outcome, hasToken, problem) => {
    const found = probeProblem(outcome, hasToken);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it('prints the server without credentials or query', () => {
    expect(printableServer('https://user:secret@cache.example:8443/base/?token=abc#x')).toBe(
      'https://cache.example:8443/base',
    );
    expect(printableServer('not a url')).toBe('(not a URL)');
    expect(offLine('http://cache:8090/', 'cannot be reached (ECONNREFUSED)')).toBe(
      'Remote cache http://cache:8090 cannot be reached (ECONNREFUSED); this run uses the local cache only.',
    );
  });
});

describe('remoteCacheOff', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** A server that answers every request with the status, recording what it was asked. */
  async function answering(status: number): Promise<{ url: string; asked: string[] }> {
    const asked: string[] = [];
    server = createServer((request, response) => {
      asked.push(`${request.method} ${request.url} ${request.headers.authorization ?? '-'}`);
      response.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
  }

  it('says nothing when no remote cache is set', async () => {
    expect(await remoteCacheOff({})).toBeUndefined();
    expect(NOTICE_VARIABLE).toMatch(/^TODO_CHATBOT_/);
  });

  it('reads the probe entry with the token Nx will use, and keeps a server that answers 404', async () => {
    const { url, asked } = await answering(404);
    const env = {
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: `${url}/`,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 't0ken',
    };
    expect(await remoteCacheOff(env)).toBeUndefined();
    expect(asked).toEqual(['GET /v1/cache/0 Bearer t0ken']);
  });

  it('turns a server that refuses the token off, in one line without the token', async () => {
    const { url } = await answering(401);
    const line = await remoteCacheOff({
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'wrong-token',
    });
    expect(line).toBe(
      `Remote cache ${url} refused the access token (401): check NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN; this run uses the local cache only.`,
    );
  });

  it('turns a server that is down off', async () => {
    const { url } = await answering(404);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    expect(await remoteCacheOff({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url })).toMatch(
      /cannot be reached \(ECONNREFUSED\)/,
    );
  });
});
