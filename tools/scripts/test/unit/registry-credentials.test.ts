import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configKeyHost,
  credentialsFromAuths,
  dockerCredentials,
} from '../../lib/registry/credentials.ts';

const auth = (userPass: string) => Buffer.from(userPass).toString('base64');

describe('configKeyHost', () => {
  it.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['localhost:5001', 'localhost:5001'],
    ['https://localhost:5001', 'localhost:5001'],
    ['http://127.0.0.1:5000/', '127.0.0.1:5000'],
    ['HTTPS://ghcr.io', 'ghcr.io'],
    ['registry.example.com:443/v2/', 'registry.example.com:443'],
  ])('reduces %s to %s', (key, host) => {
    expect(configKeyHost(key)).toBe(host);
  });
});

describe('credentialsFromAuths', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: auth('hubuser:hubpass') },
      'localhost:5001': { auth: auth('local:se:cr:et') },
      'https://registry.example.com:8443': { auth: auth('remote:pw') },
      'ghcr.io': { identitytoken: 'refresh-me', auth: auth('ignored:pw') },
      'broken.example.com': { auth: auth('no-colon') },
      'empty.example.com': {},
    },
  };

  it('decodes user:pass, keeping every colon after the first in the password', () => {
    expect(credentialsFromAuths(config, 'localhost:5001')).toEqual({
      kind: 'basic',
      username: 'local',
      password: 'se:cr:et',
    });
  });

  it('matches keys written as URLs', () => {
    expect(credentialsFromAuths(config, 'index.docker.io')).toEqual({
      kind: 'basic',
      username: 'hubuser',
      password: 'hubpass',
    });
    expect(credentialsFromAuths(config, 'registry.example.com:8443')).toEqual({
      kind: 'basic',
      username: 'remote',
      password: 'pw',
    });
  });

  it('prefers an identity token to the basic auth beside it', () => {
    expect(credentialsFromAuths(config, 'ghcr.io')).toEqual({
      kind: 'identity-token',
      token: 'refresh-me',
    });
  });

  it('is anonymous for an unknown host, a port mismatch, an empty entry or an auth without colon', () => {
    expect(credentialsFromAuths(config, 'quay.io')).toBeUndefined();
    expect(credentialsFromAuths(config, 'localhost:5000')).toBeUndefined();
    expect(credentialsFromAuths(config, 'registry.example.com')).toBeUndefined();
    expect(credentialsFromAuths(config, 'empty.example.com')).toBeUndefined();
    expect(credentialsFromAuths(config, 'broken.example.com')).toBeUndefined();
    expect(credentialsFromAuths({}, 'localhost:5001')).toBeUndefined();
  });

  it('defers to a credential helper for the host, or to the credential store for every host', () => {
    const helpers = { ...config, credHelpers: { 'gcr.io': 'gcloud' } };
    expect(credentialsFromAuths(helpers, 'gcr.io')).toBe('helper');
    expect(credentialsFromAuths(helpers, 'localhost:5001')).toMatchObject({ kind: 'basic' });
    expect(credentialsFromAuths({ ...config, credsStore: 'desktop' }, 'localhost:5001')).toBe(
      'helper',
    );
  });
});

describe('dockerCredentials', () => {
  let dir: string;
  let savedConfig: string | undefined;
  let savedPath: string | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    savedConfig = process.env.DOCKER_CONFIG;
    savedPath = process.env.PATH;
    process.env.DOCKER_CONFIG = dir;
    process.env.PATH = `${dir}${delimiter}${savedPath ?? ''}`;
  });

  afterEach(async () => {
    if (savedConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedConfig;
    process.env.PATH = savedPath;
    await rm(dir, { recursive: true, force: true });
  });

  const writeConfig = (config: unknown) =>
    writeFile(join(dir, 'config.json'), JSON.stringify(config));

  /**
   * A credential helper as Docker runs one: `get`, the host on stdin, JSON on stdout. It records
   * what it was asked, answers `<token>` for token.example.com, and fails for unknown.example.com
   * (after reading stdin, as real helpers do).
   */
  async function writeHelper(): Promise<void> {
    const script = [
      '#!/bin/sh',
      '[ "$1" = get ] || exit 2',
      'host=$(cat)',
      `printf '%s' "$host" >> '${join(dir, 'asked')}'`,
      'case "$host" in',
      '  unknown.example.com) echo "credentials not found in native keychain" >&2; exit 1 ;;',
      '  token.example.com) user="<token>" ;;',
      '  *) user=u ;;',
      'esac',
      'printf \'{"ServerURL":"%s","Username":"%s","Secret":"s"}\\n\' "$host" "$user"',
    ].join('\n');
    const path = join(dir, 'docker-credential-testhelper');
    await writeFile(path, `${script}\n`);
    await chmod(path, 0o755);
  }

  it('reads auths from config.json in DOCKER_CONFIG', async () => {
    await writeConfig({ auths: { 'http://127.0.0.1:5000': { auth: auth('me:p:w') } } });
    expect(await dockerCredentials('127.0.0.1:5000')).toEqual({
      kind: 'basic',
      username: 'me',
      password: 'p:w',
    });
    expect(await dockerCredentials('127.0.0.1:5001')).toBeUndefined();
  });

  it('is anonymous without a config.json or with one that is not JSON', async () => {
    expect(await dockerCredentials('localhost:5001')).toBeUndefined();
    await writeFile(join(dir, 'config.json'), '{ not json');
    expect(await dockerCredentials('localhost:5001')).toBeUndefined();
  });

  it('asks the host’s credential helper, giving it the host on stdin', async () => {
    await writeHelper();
    await writeConfig({
      auths: { 'ghcr.io': { auth: auth('stale:stale') } },
      credHelpers: { 'ghcr.io': 'testhelper' },
    });
    expect(await dockerCredentials('ghcr.io')).toEqual({
      kind: 'basic',
      username: 'u',
      password: 's',
    });
    expect(await readFile(join(dir, 'asked'), 'utf8')).toBe('ghcr.io');
  });

  it('asks the credential store for any host, and reads a <token> user as an identity token', async () => {
    await writeHelper();
    await writeConfig({ auths: { 'token.example.com': {} }, credsStore: 'testhelper' });
    expect(await dockerCredentials('token.example.com')).toEqual({
      kind: 'identity-token',
      token: 's',
    });
    expect(await dockerCredentials('localhost:5001')).toEqual({
      kind: 'basic',
      username: 'u',
      password: 's',
    });
  });

  it('is anonymous when the helper exits without reading its input', async () => {
    const path = join(dir, 'docker-credential-early');
    await writeFile(path, '#!/bin/sh\nexit 1\n');
    await chmod(path, 0o755);
    await writeConfig({ credsStore: 'early' });
    for (let i = 0; i < 5; i++) expect(await dockerCredentials('ghcr.io')).toBeUndefined();
  });

  it('asks helpers for Docker Hub under the name Docker keeps its login under', async () => {
    await writeHelper();
    await writeConfig({ credsStore: 'testhelper' });
    await dockerCredentials('index.docker.io');
    expect(await readFile(join(dir, 'asked'), 'utf8')).toBe('https://index.docker.io/v1/');
  });

  it('is anonymous when the helper knows nothing or is not installed', async () => {
    await writeHelper();
    await writeConfig({ credsStore: 'testhelper' });
    expect(await dockerCredentials('unknown.example.com')).toBeUndefined();
    await writeConfig({ credsStore: 'not-installed-anywhere' });
    expect(await dockerCredentials('localhost:5001')).toBeUndefined();
  });
});
