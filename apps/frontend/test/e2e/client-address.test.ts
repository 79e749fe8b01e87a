/**
 * The client address through the frontend's proxy, with the production builds of both apps:
 * the backend keys its login limit on the address the frontend vouches for, so a client that
 * exhausts the limit for an email does not lock other clients out of it, and cannot become
 * someone else by sending its own X-Forwarded-For. Clients are told apart by their source
 * address on the loopback network (127.0.0.2, 127.0.0.3), or behind an emulated ingress by
 * the public address it appends (loopback clients are not counted by the sign-up limit).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Service, startBackend, startFrontend } from '../support/servers';

/** A POST of `body` to the frontend's `path`, from `source`, with the headers given. */
function post(
  frontend: Service,
  path: string,
  body: string,
  source: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request(
      `${frontend.url}${path}`,
      {
        method: 'POST',
        localAddress: source,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

/**
 * The production builds of both apps for the enclosing describe: a backend on its own data
 * folder with `backendEnv`, and the frontend in front of it trusting `hops` proxies.
 */
function servedApps(backendEnv: Record<string, string>, hops: string): { frontend: Service } {
  const apps = {} as { frontend: Service };
  let dataDir: string | undefined;
  let backend: Service | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'frontend-client-address-'));
    backend = await startBackend(dataDir, undefined, backendEnv);
    apps.frontend = await startFrontend(backend.url, { TRUST_PROXY_HOPS: hops });
  });
  afterAll(async () => {
    await apps.frontend?.stop();
    await backend?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return apps;
}

/** A wrong-password login for one shared email. */
const GUESS = JSON.stringify({ email: 'shared@example.com', password: 'guess guess guess' });

describe.each([
  {
    name: 'clients straight to the frontend (TRUST_PROXY_HOPS=0)',
    hops: '0',
    // The frontend's peer is the client: any header it sends is its own invention.
    from: (client: string, claim: string) => ({
      source: client,
      headers: { 'x-forwarded-for': claim },
    }),
  },
  {
    name: 'clients through an ingress (TRUST_PROXY_HOPS=1)',
    hops: '1',
    // The ingress appends the client it saw to whatever the client sent.
    from: (client: string, claim: string) => ({
      source: '127.0.0.9',
      headers: { 'x-forwarded-for': `${claim}, ${client}` },
    }),
  },
])('$name', ({ hops, from }) => {
  const apps = servedApps({ TRUST_PROXY_HOPS: '1', LOGIN_RATE_LIMIT_MAX: '1' }, hops);

  const attempt = (client: string, claim: string) => {
    const { source, headers } = from(client, claim);
    return post(apps.frontend, '/api/auth/login', GUESS, source, headers);
  };

  it('limits each client on its own address, whatever address it claims', async () => {
    expect(await attempt('127.0.0.2', '198.51.100.1')).toBe(401);
    expect(await attempt('127.0.0.2', '198.51.100.2')).toBe(429);
    expect(await attempt('127.0.0.3', '198.51.100.1')).toBe(401);
  });
});

describe('sign-ups through an ingress (TRUST_PROXY_HOPS=1)', () => {
  const apps = servedApps({ TRUST_PROXY_HOPS: '1', SIGNUP_RATE_LIMIT_MAX: '1' }, '1');

  let accounts = 0;
  /** A sign-up by `client`, which claims to be `claim`, as the ingress forwards it. */
  const signUp = (client: string, claim: string) => {
    const body = JSON.stringify({
      email: `through-ingress-${++accounts}@example.com`,
      password: 'long enough password',
    });
    return post(apps.frontend, '/api/auth/signup', body, '127.0.0.9', {
      'x-forwarded-for': `${claim}, ${client}`,
    });
  };

  it('limits each client on its own address, whatever address it claims', async () => {
    expect(await signUp('198.51.100.5', '203.0.113.1')).toBe(201);
    expect(await signUp('198.51.100.5', '203.0.113.2')).toBe(429);
    expect(await signUp('198.51.100.6', '198.51.100.5')).toBe(201);
  });
});
