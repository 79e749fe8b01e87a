/**
 * The two questions the pipeline asks an OCI registry (distribution spec v2): does it hold
 * this tag (one HEAD, on the no-change path of every deploy), and what is in that manifest
 * (layer sizes, for the bytes a push sent). Token and basic auth with the user's
 * `docker login` credentials; plain HTTP only for registries on this machine, as Docker
 * allows. Every failure is one line naming the registry and the fix.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { UserError } from '../command.ts';
import { isLoopback, type SentResponse, send } from '../http-send.ts';
import { type Credentials, dockerCredentials } from './credentials.ts';
import { splitRegistry } from './reference.ts';

export class RegistryError extends UserError {}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/**
 * Whether a registry is on this machine: by its name, or by the addresses the name resolves to
 * (kind-action's `kind-registry:5000` is an /etc/hosts entry for 127.0.0.1), as Docker decides
 * which registries may speak plain HTTP.
 */
export async function onThisMachine(
  host: string,
  lookup: (name: string) => Promise<{ address: string }[]> = (name) =>
    dnsLookup(name, { all: true }),
): Promise<boolean> {
  if (isLoopback(host)) return true;
  const name = (host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':')[0]) ?? '';
  const addresses = await lookup(name).catch(() => []);
  return (
    addresses.length > 0 &&
    addresses.every(({ address }) => isLoopback(address.includes(':') ? `[${address}]` : address))
  );
}

/** Pure: the fields of a `WWW-Authenticate` challenge, e.g. realm, service, scope. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = header.split(' ')[0]?.toLowerCase() ?? '';
  const params: Record<string, string> = {};
  for (const match of header.slice(scheme.length).matchAll(/(\w+)="([^"]*)"/g)) {
    params[match[1] as string] = match[2] as string;
  }
  return { scheme, params };
}

export type Manifest = {
  mediaType?: string;
  config?: { digest: string; size: number };
  layers?: { digest: string; size: number }[];
};

export type RegistryClient = {
  /** The manifest digest under the tag, or undefined when the registry has no such tag. */
  manifestDigest: (repository: string, tag: string) => Promise<string | undefined>;
  manifest: (repository: string, reference: string) => Promise<Manifest>;
};

export function registryClient(registry: string): RegistryClient {
  const { host, prefix } = splitRegistry(registry);
  // Docker Hub's API and login live under other names than the one users write.
  const hub = host === 'docker.io' || host === 'index.docker.io';
  const apiHost = hub ? 'registry-1.docker.io' : host;
  const loginHost = hub ? 'index.docker.io' : host;
  // Docker's rule: HTTPS first; plain HTTP only for a registry on this machine.
  let schemes: Promise<string[]> | undefined;
  let scheme: string | undefined;
  let credentials: Promise<Credentials | undefined> | undefined;
  const tokens = new Map<string, string>();

  const unreachable = (error: Error) =>
    new RegistryError(
      `registry ${host} is not reachable (${(error as NodeJS.ErrnoException).code ?? error.message}): start it or fix its name, log in with \`docker login ${host}\` if it needs it, or set DEPLOY_REGISTRY=off to side-load images instead`,
    );
  const refused = (status: number, name: string) =>
    new RegistryError(
      `registry ${host} refused access to ${name} (HTTP ${status}): run \`docker login ${host}\` with an account that may push and pull ${name}, or set DEPLOY_REGISTRY to a registry you can use`,
    );

  async function reach(path: string, method: string, headers: Record<string, string>) {
    let lastError: Error | undefined;
    schemes ??= onThisMachine(host).then((local) => (local ? ['https:', 'http:'] : ['https:']));
    for (const candidate of scheme ? [scheme] : await schemes) {
      try {
        const response = await send(new URL(`${candidate}//${apiHost}${path}`), {
          method,
          headers,
        });
        scheme = candidate;
        return response;
      } catch (error) {
        lastError = error as Error;
      }
    }
    throw unreachable(lastError ?? new Error('no answer'));
  }

  const login = () => {
    credentials ??= dockerCredentials(loginHost);
    return credentials;
  };

  /** A token for the challenge's scope from its realm, with the user's login when there is one. */
  async function token(challenge: Record<string, string>, name: string): Promise<string> {
    if (!challenge.realm) throw refused(401, name);
    const creds = await login();
    const realm = new URL(challenge.realm);
    const query = { service: challenge.service ?? '', scope: challenge.scope ?? '' };
    let response: SentResponse;
    try {
      if (creds?.kind === 'identity-token') {
        const body = new URLSearchParams({
          ...query,
          grant_type: 'refresh_token',
          refresh_token: creds.token,
          client_id: 'todo-chatbot-deploy',
        }).toString();
        response = await send(realm, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
      } else {
        for (const [key, value] of Object.entries(query)) realm.searchParams.set(key, value);
        response = await send(realm, {
          method: 'GET',
          headers: creds ? { authorization: basic(creds.username, creds.password) } : {},
        });
      }
    } catch (error) {
      throw unreachable(error as Error);
    }
    if (response.status !== 200) throw refused(response.status, name);
    const parsed = JSON.parse(response.body) as { token?: string; access_token?: string };
    const value = parsed.token ?? parsed.access_token;
    if (!value) throw refused(response.status, name);
    return value;
  }

  /** One request, answering the registry's auth challenge once when it makes one. */
  async function call(method: string, name: string, path: string) {
    const headers: Record<string, string> = { accept: MANIFEST_TYPES };
    const scope = `repository:${name}:pull`;
    const known = tokens.get(scope);
    if (known) headers.authorization = `Bearer ${known}`;
    let response = await reach(path, method, headers);
    if (response.status === 401) {
      // No token yet, or one that expired (a long push): answer the new challenge.
      const header = String(response.headers['www-authenticate'] ?? '');
      const { scheme: kind, params } = parseChallenge(header);
      if (kind === 'bearer') {
        const fresh = await token({ scope, ...params }, name);
        tokens.set(scope, fresh);
        headers.authorization = `Bearer ${fresh}`;
      } else {
        const creds = await login();
        if (creds?.kind !== 'basic') throw refused(401, name);
        headers.authorization = basic(creds.username, creds.password);
      }
      response = await reach(path, method, headers);
    }
    if (response.status === 401 || response.status === 403) throw refused(response.status, name);
    return response;
  }

  return {
    manifestDigest: async (repository, tag) => {
      const name = `${prefix}${repository}`;
      const response = await call('HEAD', name, `/v2/${name}/manifests/${tag}`);
      if (response.status === 404) return undefined;
      const digest = response.headers['docker-content-digest'];
      if (response.status !== 200 || typeof digest !== 'string') {
        throw new RegistryError(
          `registry ${host} answered HTTP ${response.status} to HEAD /v2/${name}/manifests/${tag}: is it an OCI registry (distribution v2)?`,
        );
      }
      return digest;
    },
    manifest: async (repository, reference) => {
      const name = `${prefix}${repository}`;
      const response = await call('GET', name, `/v2/${name}/manifests/${reference}`);
      if (response.status !== 200) {
        throw new RegistryError(
          `registry ${host} answered HTTP ${response.status} to GET /v2/${name}/manifests/${reference}`,
        );
      }
      return JSON.parse(response.body) as Manifest;
    },
  };
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
