import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answeringEnvironment,
  codeDigest,
  envListing,
  parseEnvListing,
  questionArgs,
  questionPath,
  STATE_SOCKET,
  serverVerdict,
  stateServerWanted,
} from '../../lib/state-server.ts';

describe('stateServerWanted', () => {
  it.each([
    [{}, 'linux', true],
    [{ DEPLOY_STATE_SERVER: 'auto' }, 'linux', true],
    [{ CI: 'true' }, 'linux', false],
    [{ CI: '1' }, 'darwin', false],
    [{ CI: 'false' }, 'linux', true],
    [{ CI: '0' }, 'linux', true],
    [{ NX_DAEMON: 'false' }, 'linux', false],
    [{ NX_DAEMON: 'true' }, 'linux', true],
    [{ CI: 'true', DEPLOY_STATE_SERVER: 'on' }, 'linux', true],
    [{ NX_DAEMON: 'false', DEPLOY_STATE_SERVER: 'on' }, 'linux', true],
    [{ DEPLOY_STATE_SERVER: 'off' }, 'linux', false],
    [{ DEPLOY_STATE_SERVER: 'yes' }, 'linux', false],
    [{ DEPLOY_STATE_SERVER: 'on' }, 'win32', false],
  ] as const)('%o on %s: %s', (env, platform, wanted) => {
    expect(stateServerWanted(env, platform)).toBe(wanted);
  });
});

describe('answeringEnvironment', () => {
  it('leaves out what differs between two runs of one command, and sorts the rest', () => {
    const env = answeringEnvironment({
      ZED: '1',
      KUBECONFIG: '/k',
      NX_TASK_HASH: 'abc',
      npm_lifecycle_event: 'x',
      _: '/usr/bin/npx',
      OLDPWD: '/a',
      PWD: '/b',
      SHLVL: '2',
      UNSET: undefined,
    });
    expect(env).toEqual([
      ['KUBECONFIG', '/k'],
      ['ZED', '1'],
    ]);
  });

  it('keeps every setting an answer can depend on, so another value is another server', () => {
    const base = { KUBECONFIG: '/k', DEPLOY_NAMESPACE: 'a', PATH: '/bin', HOME: '/root' };
    for (const key of Object.keys(base)) {
      expect(answeringEnvironment({ ...base, [key]: 'other' })).not.toEqual(
        answeringEnvironment(base),
      );
    }
  });
});

describe('codeDigest', () => {
  let root: string;
  let scripts: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'state-server-'));
    scripts = join(root, 'tools', 'scripts');
    await mkdir(join(scripts, 'lib'), { recursive: true });
    await mkdir(join(scripts, 'test'), { recursive: true });
    await writeFile(join(scripts, 'deploy-state.ts'), 'one');
    await writeFile(join(scripts, 'deploy-state.sh'), 'curl');
    await writeFile(join(scripts, 'lib', 'kube.ts'), 'two');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('changes with any module or shell client of the pipeline, not with tests or other files', async () => {
    const before = codeDigest(scripts, root);
    await writeFile(join(scripts, 'test', 'a.test.ts'), 'test');
    await writeFile(join(scripts, 'lib', 'notes.md'), 'notes');
    expect(codeDigest(scripts, root)).toBe(before);
    await writeFile(join(scripts, 'lib', 'kube.ts'), 'two, edited');
    const edited = codeDigest(scripts, root);
    expect(edited).not.toBe(before);
    await writeFile(join(scripts, 'deploy-state.sh'), 'curl, edited');
    expect(codeDigest(scripts, root)).not.toBe(edited);
  });

  it('changes when the installed packages change', async () => {
    const before = codeDigest(scripts, root);
    await mkdir(join(root, 'node_modules'), { recursive: true });
    await writeFile(join(root, 'node_modules', '.package-lock.json'), '{"v":1}');
    const installed = codeDigest(scripts, root);
    expect(installed).not.toBe(before);
    await writeFile(join(root, 'node_modules', '.package-lock.json'), '{"v":2}');
    expect(codeDigest(scripts, root)).not.toBe(installed);
  });
});

describe('the environment a client sends', () => {
  it('reads back what `env` prints, values with "=" and newlines included', () => {
    const env = { KUBECONFIG: '/k', A: 'x=y', MULTI: 'one\ntwo', EMPTY: '' };
    expect(parseEnvListing(envListing(env))).toEqual(env);
  });

  it('reads a listing without a final newline, and ignores text before the first variable', () => {
    expect(parseEnvListing('stray\nA=1\nB=2')).toEqual({ A: '1', B: '2' });
  });
});

describe('serverVerdict', () => {
  const server = { KUBECONFIG: '/k', DEPLOY_NAMESPACE: 'a', NX_TASK_HASH: '1' };
  const code = { now: 'c1', atStart: 'c1' };

  it('answers a client of the same environment, whatever varies between runs', () => {
    const client = { ...server, NX_TASK_HASH: '2', PWD: '/x', SHLVL: '3', _: '/bin/sh' };
    expect(serverVerdict({ ...client, NODE_COMPILE_CACHE: 'c' }, server, code)).toBe('answer');
  });

  it('retires for another setting or edited code, so the input starts the right server', () => {
    expect(serverVerdict({ ...server, DEPLOY_NAMESPACE: 'b' }, server, code)).toBe('retire');
    expect(serverVerdict({ ...server, HTTPS_PROXY: 'http://p' }, server, code)).toBe('retire');
    expect(serverVerdict(server, server, { now: 'c2', atStart: 'c1' })).toBe('retire');
  });

  it('refuses a client that wants no server (CI, NX_DAEMON=false, off) without retiring', () => {
    expect(serverVerdict({ ...server, CI: 'true' }, server, code)).toBe('refuse');
    expect(serverVerdict({ ...server, NX_DAEMON: 'false' }, server, code)).toBe('refuse');
    expect(serverVerdict({ ...server, DEPLOY_STATE_SERVER: 'off' }, server, code)).toBe('refuse');
  });
});

describe('questions', () => {
  it.each([[['docker', 'backend']], [['release']], [['image', 'a b/c']], [[]]])(
    '%o survives its path',
    (args) => {
      expect(questionArgs(questionPath(args))).toEqual(args);
    },
  );

  it('reads the path the shell client sends for an input without an app', () => {
    expect(questionArgs('/state/release/')).toEqual(['release']);
  });

  it('names a socket a shell finds from the workspace root, short enough for any workspace', () => {
    expect(STATE_SOCKET.startsWith('/')).toBe(false);
    expect(STATE_SOCKET.length).toBeLessThanOrEqual(60);
  });
});
