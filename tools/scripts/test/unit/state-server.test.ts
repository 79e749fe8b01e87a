import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answeringEnvironment,
  codeDigest,
  stateServerSocket,
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

describe('codeDigest and the socket it names', () => {
  let root: string;
  let scripts: string;
  let runtime: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'state-server-'));
    scripts = join(root, 'tools', 'scripts');
    runtime = join(root, 'run');
    await mkdir(join(scripts, 'lib'), { recursive: true });
    await mkdir(join(scripts, 'test'), { recursive: true });
    await mkdir(runtime, { mode: 0o700 });
    await writeFile(join(scripts, 'deploy-state.ts'), 'one');
    await writeFile(join(scripts, 'lib', 'kube.ts'), 'two');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('changes with any module the server loads, not with tests or other files', async () => {
    const before = codeDigest(scripts, root);
    await writeFile(join(scripts, 'test', 'a.test.ts'), 'test');
    await writeFile(join(scripts, 'lib', 'notes.md'), 'notes');
    expect(codeDigest(scripts, root)).toBe(before);
    await writeFile(join(scripts, 'lib', 'kube.ts'), 'two, edited');
    expect(codeDigest(scripts, root)).not.toBe(before);
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

  it('names one socket per workspace, code and environment, in a private directory', async () => {
    const env = { XDG_RUNTIME_DIR: runtime, KUBECONFIG: '/k', NX_TASK_HASH: '1' };
    const socket = stateServerSocket(env, root, scripts);
    expect(socket?.startsWith(runtime)).toBe(true);
    // Socket paths are limited to about 100 bytes: the name leaves the directory most of it.
    expect(basename(socket ?? '').length).toBeLessThanOrEqual(40);
    expect(stateServerSocket({ ...env, NX_TASK_HASH: '2' }, root, scripts)).toBe(socket);
    expect(stateServerSocket({ ...env, KUBECONFIG: '/other' }, root, scripts)).not.toBe(socket);
    expect(stateServerSocket(env, `${root}-copy`, scripts)).not.toBe(socket);
    await writeFile(join(scripts, 'deploy-state.ts'), 'one, edited');
    expect(stateServerSocket(env, root, scripts)).not.toBe(socket);
    expect(stateServerSocket({ ...env, DEPLOY_STATE_SERVER: 'off' }, root, scripts)).toBe(
      undefined,
    );
  });

  it('uses no directory other users can write to', async () => {
    const shared = join(root, 'shared');
    await mkdir(shared, { mode: 0o777 });
    await chmod(shared, 0o777);
    expect(stateServerSocket({ XDG_RUNTIME_DIR: shared }, root, scripts)).toBe(undefined);
  });
});
