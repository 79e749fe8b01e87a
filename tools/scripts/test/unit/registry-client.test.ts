import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { freePort } from '@todo/test-support/free-port';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../lib/command.ts';
import { isLoopback } from '../../lib/http-send.ts';
import {
  onThisMachine,
  parseChallenge,
  RegistryError,
  registryClient,
} from '../../lib/registry/client.ts';
import { splitRegistry } from '../../lib/registry/reference.ts';

describe('onThisMachine', () => {
  const resolving =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address }));

  it('takes a name that resolves to loopback only as this machine (kind-action: kind-registry)', async () => {
    expect(await onThisMachine('kind-registry:5000', resolving('127.0.0.1'))).toBe(true);
    expect(await onThisMachine('reg.local:5000', resolving('::1'))).toBe(true);
    expect(
      await onThisMachine('localhost:5001', () => Promise.reject(new Error('not asked'))),
    ).toBe(true);
  });

  it('takes any other answer, or none, as elsewhere: HTTPS only', async () => {
    expect(await onThisMachine('registry.example.com', resolving('93.184.216.34'))).toBe(false);
    expect(await onThisMachine('split.example', resolving('127.0.0.1', '10.0.0.5'))).toBe(false);
    expect(
      await onThisMachine('nowhere.invalid', () => Promise.reject(new Error('ENOTFOUND'))),
    ).toBe(false);
    expect(await onThisMachine('empty.example', resolving())).toBe(false);
  });
});

describe('isLoopback', () => {
  it.each([
    'localhost',
    'localhost:5001',
    '127.0.0.1',
    '127.0.0.1:5000',
    '127.12.0.3:80',
    '[::1]',
    '[::1]:5000',
    'k3d-registry.localhost:12345',
  ])('%s is this machine', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each([
    'ghcr.io',
    'registry.example.com:443',
    '10.0.0.1:5000',
    '128.0.0.1',
    'localhost.example.com',
    'notlocalhost:5000',
    'my-localhost:5000',
    '[fd00::1]:5000',
  ])('%s is not', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});

describe('parseChallenge', () => {
  it('reads the scheme, lower-cased, and every quoted parameter', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://ghcr.io/token',
        service: 'ghcr.io',
        scope: 'repository:acme/app:pull',
      },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
  });

  it('keeps a scope listing several actions whole', () => {
    const { params } = parseChallenge(
      'Bearer realm="https://auth.example.com/token", service="reg", scope="repository:a/b:pull,push"',
    );
    expect(params.scope).toBe('repository:a/b:pull,push');
    expect(params.service).toBe('reg');
  });

  it('gives an empty scheme and no parameters for an empty header', () => {
    expect(parseChallenge('')).toEqual({ scheme: '', params: {} });
  });
});

describe('splitRegistry', () => {
  it.each([
    ['localhost:5001', 'localhost:5001', ''],
    ['ghcr.io/acme', 'ghcr.io', 'acme/'],
    ['registry.example.com:443/team/sub', 'registry.example.com:443', 'team/sub/'],
    ['[::1]:5000/team', '[::1]:5000', 'team/'],
  ])('%s is host %s with prefix "%s"', (registry, host, prefix) => {
    expect(splitRegistry(registry)).toEqual({ host, prefix });
  });
});

// ---------------------------------------------------------------------------------------------
// Against real registries on 127.0.0.1 (plain HTTP: the client tries HTTPS first on loopback).

type Seen = { method: string; path: string; authorization?: string; accept?: string; body: string };
type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;
type Server = {
  host: string;
  seen: Seen[];
  /** Connections that did not speak HTTP (a TLS handshake, here). */
  notHttp: () => number;
  close: () => Promise<void>;
};

const servers: Server[] = [];

async function serve(handler: (host: string) => Handler): Promise<Server> {
  const seen: Seen[] = [];
  let host = '';
  const server = createServer(async (request, response) => {
    const body = await text(request);
    seen.push({
      method: request.method ?? '',
      path: request.url ?? '',
      authorization: request.headers.authorization,
      accept: request.headers.accept,
      body,
    });
    handler(host)(request, response, body);
  });
  let notHttp = 0;
  server.on('clientError', (_, socket) => {
    notHttp += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handle: Server = {
    host,
    seen,
    notHttp: () => notHttp,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  servers.push(handle);
  return handle;
}

const REPO = 'todo-chatbot/backend';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const MANIFEST = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { digest: `sha256:${'cc'.repeat(32)}`, size: 1234 },
  layers: [{ digest: `sha256:${'dd'.repeat(32)}`, size: 5678 }],
};

/** The distribution API for one tag; every other manifest is unknown. */
function manifests(name: string, tag: string): Handler {
  return (request, response) => {
    if (request.url !== `/v2/${name}/manifests/${tag}`) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    const body = JSON.stringify(MANIFEST);
    response.writeHead(200, {
      'docker-content-digest': DIGEST,
      'content-type': MANIFEST.mediaType,
      'content-length': Buffer.byteLength(body),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}

const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let dockerConfig: string;
let savedDockerConfig: string | undefined;

async function login(host: string, entry: Record<string, string>): Promise<void> {
  await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [host]: entry } }));
}

beforeEach(async () => {
  dockerConfig = await mkdtemp(join(tmpdir(), 'registry-client-'));
  savedDockerConfig = process.env.DOCKER_CONFIG;
  process.env.DOCKER_CONFIG = dockerConfig;
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
  else process.env.DOCKER_CONFIG = savedDockerConfig;
  await rm(dockerConfig, { recursive: true, force: true });
});

describe('registryClient against an anonymous registry', () => {
  it('gives the digest of a tag the registry holds, from one HEAD', async () => {
    const registry = await serve(() => manifests(REPO, 'abc123'));
    const client = registryClient(registry.host);
    expect(await client.manifestDigest(REPO, 'abc123')).toBe(DIGEST);
    expect(registry.seen).toEqual([
      expect.objectContaining({ method: 'HEAD', path: `/v2/${REPO}/manifests/abc123` }),
    ]);
    expect(registry.seen[0]?.authorization).toBeUndefined();
    expect(registry.seen[0]?.accept).toContain('application/vnd.oci.image.manifest.v1+json');
    expect(registry.seen[0]?.accept).toContain(
      'application/vnd.docker.distribution.manifest.v2+json',
    );
  });

  it('tries HTTPS first on this machine, then plain HTTP, and remembers which one answered', async () => {
    const registry = await serve(() => manifests(REPO, 'abc123'));
    const client = registryClient(registry.host);
    await client.manifestDigest(REPO, 'abc123');
    await client.manifest(REPO, 'abc123');
    expect(registry.notHttp()).toBe(1);
    expect(registry.seen).toHaveLength(2);
  });

  it('is undefined for a tag the registry does not hold', async () => {
    const registry = await serve(() => manifests(REPO, 'abc123'));
    expect(await registryClient(registry.host).manifestDigest(REPO, 'other')).toBeUndefined();
    expect(registry.seen.map((request) => request.path)).toEqual([`/v2/${REPO}/manifests/other`]);
  });

  it('puts the registry path in front of the repository', async () => {
    const registry = await serve(() => manifests(`team/${REPO}`, 'abc123'));
    const client = registryClient(`${registry.host}/team`);
    expect(await client.manifestDigest(REPO, 'abc123')).toBe(DIGEST);
    expect(await client.manifest(REPO, 'abc123')).toEqual(MANIFEST);
    expect(registry.seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      `HEAD /v2/team/${REPO}/manifests/abc123`,
      `GET /v2/team/${REPO}/manifests/abc123`,
    ]);
  });

  it('fetches the manifest as JSON', async () => {
    const registry = await serve(() => manifests(REPO, 'abc123'));
    const manifest = await registryClient(registry.host).manifest(REPO, 'abc123');
    expect(manifest.layers).toEqual(MANIFEST.layers);
    expect(manifest.config?.size).toBe(1234);
  });

  it('fails naming the registry and the reference when the manifest is missing', async () => {
    const registry = await serve(() => manifests(REPO, 'abc123'));
    const manifest = registryClient(registry.host).manifest(REPO, 'nope');
    await expect(manifest).rejects.toThrow(RegistryError);
    await expect(manifest).rejects.toThrow(
      `registry ${registry.host} answered HTTP 404 to GET /v2/${REPO}/manifests/nope`,
    );
  });
});

describe('registryClient against a token-auth registry', () => {
  const USER = 'deployer';
  const PASSWORD = 'pa:ss-w0rd';

  const LOGIN = basicHeader(USER, PASSWORD);

  /** A registry that only answers `Bearer abc`, and a token endpoint that checks the login. */
  function tokenRegistry(accepted: string | undefined): (host: string) => Handler {
    return (host) => (request, response) => {
      if (request.url?.startsWith('/token')) {
        const form = new URLSearchParams(request.url.split('?')[1]);
        const grant = request.method === 'POST' ? 'refresh' : 'basic';
        const ok =
          grant === 'basic'
            ? request.headers.authorization === accepted
            : request.headers['content-type'] === 'application/x-www-form-urlencoded';
        if (!ok) {
          response.writeHead(401, { 'content-type': 'text/plain' });
          response.end('unauthorized: incorrect username or password');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ token: 'abc', service: form.get('service') }));
        return;
      }
      if (request.headers.authorization !== 'Bearer abc') {
        response.writeHead(401, {
          'www-authenticate': `Bearer realm="http://${host}/token",service="test",scope="repository:${REPO}:pull"`,
        });
        response.end();
        return;
      }
      manifests(REPO, 'abc123')(request, response, '');
    };
  }

  it('gets a token with the docker login credentials and retries with it', async () => {
    const registry = await serve(tokenRegistry(LOGIN));
    await login(registry.host, { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') });
    expect(await registryClient(registry.host).manifestDigest(REPO, 'abc123')).toBe(DIGEST);

    const [first, tokenRequest, retry, ...rest] = registry.seen;
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ method: 'HEAD', authorization: undefined });
    expect(tokenRequest?.method).toBe('GET');
    const url = new URL(tokenRequest?.path ?? '', `http://${registry.host}`);
    expect(url.pathname).toBe('/token');
    expect(url.searchParams.get('service')).toBe('test');
    expect(url.searchParams.get('scope')).toBe(`repository:${REPO}:pull`);
    expect(tokenRequest?.authorization).toBe(basicHeader(USER, PASSWORD));
    expect(retry).toMatchObject({
      method: 'HEAD',
      path: `/v2/${REPO}/manifests/abc123`,
      authorization: 'Bearer abc',
    });
  });

  it('asks for the token once and sends it straight away afterwards', async () => {
    const registry = await serve(tokenRegistry(LOGIN));
    await login(`https://${registry.host}`, {
      auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
    });
    const client = registryClient(registry.host);
    await client.manifestDigest(REPO, 'abc123');
    expect(await client.manifest(REPO, 'abc123')).toEqual(MANIFEST);
    const paths = registry.seen.map((request) => `${request.method} ${request.path.split('?')[0]}`);
    expect(paths).toEqual([
      `HEAD /v2/${REPO}/manifests/abc123`,
      'GET /token',
      `HEAD /v2/${REPO}/manifests/abc123`,
      `GET /v2/${REPO}/manifests/abc123`,
    ]);
    expect(registry.seen[3]?.authorization).toBe('Bearer abc');
  });

  it('exchanges an identity token for an access token by POST', async () => {
    const registry = await serve(tokenRegistry(LOGIN));
    await login(registry.host, { identitytoken: 'refresh-123' });
    expect(await registryClient(registry.host).manifestDigest(REPO, 'abc123')).toBe(DIGEST);
    const tokenRequest = registry.seen[1];
    expect(tokenRequest?.method).toBe('POST');
    const form = new URLSearchParams(tokenRequest?.body);
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-123',
      service: 'test',
      scope: `repository:${REPO}:pull`,
    });
    expect(registry.seen[2]?.authorization).toBe('Bearer abc');
  });

  it('asks for an anonymous token without credentials', async () => {
    const registry = await serve(tokenRegistry(undefined));
    expect(await registryClient(registry.host).manifestDigest(REPO, 'abc123')).toBe(DIGEST);
    expect(registry.seen[1]?.authorization).toBeUndefined();
  });

  it('tells to docker login, without the password, when the token endpoint refuses', async () => {
    const registry = await serve(tokenRegistry(LOGIN));
    await login(registry.host, {
      auth: Buffer.from(`${USER}:wrong-${PASSWORD}`).toString('base64'),
    });
    const error = await registryClient(registry.host)
      .manifestDigest(REPO, 'abc123')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toBeInstanceOf(UserError);
    const { message } = error as Error;
    expect(message).toContain(`registry ${registry.host}`);
    expect(message).toContain(`docker login ${registry.host}`);
    expect(message).toContain('HTTP 401');
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toContain(Buffer.from(`${USER}:wrong-${PASSWORD}`).toString('base64'));
    expect(registry.seen.at(-1)?.path).toMatch(/^\/token\?/);
  });
  it('fetches a new token when the one it holds has expired', async () => {
    let issued = 0;
    let valid = '';
    const registry = await serve((host) => (request, response) => {
      if (request.url?.startsWith('/token')) {
        issued += 1;
        valid = `t${issued}`;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ token: valid }));
        return;
      }
      if (request.headers.authorization !== `Bearer ${valid}`) {
        response.writeHead(401, {
          'www-authenticate': `Bearer realm="http://${host}/token",service="test",scope="repository:${REPO}:pull"`,
        });
        response.end();
        return;
      }
      manifests(REPO, 'abc123')(request, response, '');
    });
    const client = registryClient(registry.host);
    expect(await client.manifestDigest(REPO, 'abc123')).toBe(DIGEST);
    valid = 'rotated-away';
    expect(await client.manifestDigest(REPO, 'abc123')).toBe(DIGEST);
    expect(issued).toBe(2);
  });
});

describe('registryClient against a basic-auth registry', () => {
  const auth = basicHeader('me', 'secret:pw');

  function basicRegistry(): Handler {
    return (request, response, body) => {
      if (request.headers.authorization !== auth) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="x"' });
        response.end();
        return;
      }
      manifests(REPO, 'abc123')(request, response, body);
    };
  }

  it('retries with the docker login credentials as Basic auth', async () => {
    const registry = await serve(() => basicRegistry());
    await login(registry.host, { auth: Buffer.from('me:secret:pw').toString('base64') });
    expect(await registryClient(registry.host).manifestDigest(REPO, 'abc123')).toBe(DIGEST);
    expect(registry.seen.map((request) => request.authorization)).toEqual([undefined, auth]);
  });

  it('tells to docker login when there are no credentials for it', async () => {
    const registry = await serve(() => basicRegistry());
    const digest = registryClient(registry.host).manifestDigest(REPO, 'abc123');
    await expect(digest).rejects.toThrow(RegistryError);
    await expect(digest).rejects.toThrow(`docker login ${registry.host}`);
  });

  it('tells to docker login when the registry still refuses the credentials', async () => {
    const registry = await serve(() => basicRegistry());
    await login(registry.host, { auth: Buffer.from('me:not-it').toString('base64') });
    const error = (await registryClient(registry.host)
      .manifestDigest(REPO, 'abc123')
      .catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toContain(`docker login ${registry.host}`);
    expect(error.message).not.toContain('not-it');
    expect(registry.seen).toHaveLength(2);
  });
});

describe('registryClient failures', () => {
  it('names the registry and DEPLOY_REGISTRY=off when nothing answers', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const error = (await registryClient(host)
      .manifestDigest(REPO, 'abc123')
      .catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toContain(`registry ${host} is not reachable`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('DEPLOY_REGISTRY=off');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('names the status when the registry answers with a server error', async () => {
    const registry = await serve(() => (_, response) => {
      response.writeHead(500);
      response.end('boom');
    });
    const client = registryClient(registry.host);
    const digest = client.manifestDigest(REPO, 'abc123');
    await expect(digest).rejects.toThrow(RegistryError);
    await expect(digest).rejects.toThrow(
      `registry ${registry.host} answered HTTP 500 to HEAD /v2/${REPO}/manifests/abc123`,
    );
    await expect(client.manifest(REPO, 'abc123')).rejects.toThrow(/HTTP 500/);
  });

  it('refuses a 200 without a digest: not a distribution v2 registry', async () => {
    const registry = await serve(() => (_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end();
    });
    await expect(registryClient(registry.host).manifestDigest(REPO, 'abc123')).rejects.toThrow(
      /answered HTTP 200 .*distribution v2/,
    );
  });

  it('names the registry when access is forbidden', async () => {
    const registry = await serve(() => (_, response) => {
      response.writeHead(403);
      response.end();
    });
    await expect(registryClient(registry.host).manifestDigest(REPO, 'abc123')).rejects.toThrow(
      `registry ${registry.host} refused access to ${REPO} (HTTP 403)`,
    );
  });
});
