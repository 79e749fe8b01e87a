/**
 * The user's own `docker login` credentials for a registry, read the way the Docker CLI reads
 * them: a credential helper (`credHelpers`, then `credsStore`), else `auths` in
 * $DOCKER_CONFIG/config.json. They only ever go into an Authorization header: never printed,
 * never written anywhere.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'identity-token'; token: string };

type DockerConfig = {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
};

/** Pure: a config key (`https://host/v1/`, `host:port`) reduced to the host it stands for. */
export function configKeyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? key;
}

/** Pure: the credentials `auths` holds for the host, if any. */
export function credentialsFromAuths(
  config: DockerConfig,
  host: string,
): Credentials | 'helper' | undefined {
  const helper = config.credHelpers?.[host] ?? config.credsStore;
  if (helper) return 'helper';
  const entry = Object.entries(config.auths ?? {}).find(
    ([key]) => configKeyHost(key) === host,
  )?.[1];
  if (entry?.identitytoken) return { kind: 'identity-token', token: entry.identitytoken };
  if (!entry?.auth) return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function fromHelper(helper: string, host: string): Promise<Credentials | undefined> {
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const { Username, Secret } = JSON.parse(stdout) as { Username: string; Secret: string };
        resolve(
          Username === '<token>'
            ? { kind: 'identity-token', token: Secret }
            : { kind: 'basic', username: Username, password: Secret },
        );
      } catch {
        resolve(undefined);
      }
    });
    // A helper that exits before reading its input must not take this process down with EPIPE.
    child.stdin?.on('error', () => {});
    child.stdin?.end(host);
  });
}

/** The credentials Docker would use for the registry host, or undefined (anonymous). */
export async function dockerCredentials(host: string): Promise<Credentials | undefined> {
  const dir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as DockerConfig;
  } catch {
    return undefined;
  }
  const found = credentialsFromAuths(config, host);
  if (found !== 'helper') return found;
  const helper = config.credHelpers?.[host] ?? config.credsStore ?? '';
  // Docker keeps Docker Hub's login under its v1 URL, and asks helpers for that name.
  return fromHelper(helper, host === 'index.docker.io' ? 'https://index.docker.io/v1/' : host);
}
