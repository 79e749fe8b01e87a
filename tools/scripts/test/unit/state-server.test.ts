import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answeringEnvironment,
  codeDigest,
  envListing,
  parseEnvListing,
  processRuns,
  questionArgs,
  questionPath,
  STATE_SOCKET,
  serverVerdict,
  stateOwner,
  stateServerMode,
  summaryVerdict,
} from '../../lib/state-server.ts';

describe('processRuns', () => {
  it('tells a running process, an ended one and a zombie apart', async () => {
    expect(processRuns(process.pid)).toBe(true);
    // The shell becomes a sleep that never reaps the child it started, which ends just after.
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], { stdio: 'pipe' });
    try {
      const [chunk] = await once(parent.stdout, 'data');
      const zombie = Number(String(chunk).trim());
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(processRuns(zombie)).toBe(false);
      expect(processRuns(parent.pid ?? 0)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
    await once(parent, 'exit');
    expect(processRuns(parent.pid ?? 0)).toBe(false);
  });
});

describe('stateServerMode', () => {
  const run = { DEPLOY_STATE_OWNER: '4242' };
  it.each([
    [{}, 'linux', 'resident'],
    [{ DEPLOY_STATE_SERVER: 'auto' }, 'linux', 'resident'],
    [{ CI: 'true', ...run }, 'linux', 'run'],
    [{ CI: '1', ...run }, 'darwin', 'run'],
    [{ CI: 'true' }, 'linux', 'off'],
    [{ CI: 'false' }, 'linux', 'resident'],
    [{ CI: '0' }, 'linux', 'resident'],
    [{ NX_DAEMON: 'false', ...run }, 'linux', 'run'],
    [{ NX_DAEMON: 'false', DEPLOY_STATE_OWNER: '$PPID' }, 'linux', 'off'],
    [{ NX_DAEMON: 'true' }, 'linux', 'resident'],
    [{ CI: 'true', DEPLOY_STATE_SERVER: 'on' }, 'linux', 'resident'],
    [{ NX_DAEMON: 'false', DEPLOY_STATE_SERVER: 'on' }, 'linux', 'resident'],
    [{ DEPLOY_STATE_SERVER: 'off', ...run }, 'linux', 'off'],
    [{ DEPLOY_STATE_SERVER: 'yes' }, 'linux', 'off'],
    [{ DEPLOY_STATE_SERVER: 'on' }, 'win32', 'off'],
  ] as const)('%o on %s: %s', (env, platform, mode) => {
    expect(stateServerMode(env, platform)).toBe(mode);
  });

  it('takes a run-scoped owner only as a pid', () => {
    expect(stateOwner({ DEPLOY_STATE_OWNER: '4242' })).toBe(4242);
    for (const value of ['', '1', '0', '-3', '12.5', 'abc', undefined])
      expect(stateOwner({ DEPLOY_STATE_OWNER: value })).toBe(undefined);
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
  const env = { KUBECONFIG: '/k', DEPLOY_NAMESPACE: 'a', NX_TASK_HASH: '1', PWD: '/ws' };
  const resident = { env, owner: undefined, root: '/ws' };
  const code = { now: 'c1', atStart: 'c1' };

  it('answers a client of the same environment, whatever varies between runs', () => {
    const client = { ...env, NX_TASK_HASH: '2', SHLVL: '3', _: '/bin/sh' };
    const varying = { NODE_COMPILE_CACHE: 'c', DEPLOY_STATE_OWNER: '77' };
    expect(serverVerdict({ ...client, ...varying }, resident, code)).toBe('answer');
  });

  it('retires for another setting or edited code, so the input starts the right server', () => {
    expect(serverVerdict({ ...env, DEPLOY_NAMESPACE: 'b' }, resident, code)).toBe('retire');
    expect(serverVerdict({ ...env, HTTPS_PROXY: 'http://p' }, resident, code)).toBe('retire');
    expect(serverVerdict(env, resident, { now: 'c2', atStart: 'c1' })).toBe('retire');
  });

  it('refuses a client that wants none, and stays', () => {
    expect(serverVerdict({ ...env, DEPLOY_STATE_SERVER: 'off' }, resident, code)).toBe('refuse');
  });

  it('refuses a client of another workspace (a copy holding a link to this socket)', () => {
    expect(serverVerdict({ ...env, PWD: '/ws-copy' }, resident, code)).toBe('refuse');
    expect(serverVerdict({ ...env, PWD: undefined }, resident, code)).toBe('refuse');
  });

  it('retires for a CI-mode run: what an earlier run left never serves it', () => {
    const ciRun = { ...env, NX_DAEMON: 'false', DEPLOY_STATE_OWNER: '77' };
    expect(serverVerdict(ciRun, resident, code)).toBe('retire');
  });

  it('serves only the Nx run that owns it', () => {
    const server = { env, owner: 77, root: '/ws' };
    const ciRun = { ...env, NX_DAEMON: 'false', DEPLOY_STATE_OWNER: '77' };
    expect(serverVerdict(ciRun, server, code)).toBe('answer');
    expect(serverVerdict({ ...ciRun, DEPLOY_STATE_OWNER: '78' }, server, code)).toBe('retire');
    expect(serverVerdict(env, server, code)).toBe('retire');
  });
});

describe('summaryVerdict', () => {
  const run = { PWD: '/ws', NX_INVOCATION_ROOT_PID: '42' };
  const code = { now: 'c1', atStart: 'c1' };

  it('answers any run of this workspace and code, whatever its environment or owner', () => {
    expect(summaryVerdict(run, { root: '/ws' }, code)).toBe('answer');
    const ciRun = { ...run, NX_DAEMON: 'false', DEPLOY_STATE_OWNER: '77', DEPLOY_NAMESPACE: 'b' };
    expect(summaryVerdict(ciRun, { root: '/ws' }, code)).toBe('answer');
    // The `deploy` target's own client in a CI-mode run: no owner, which no runtime input lacks.
    for (const mode of [{ CI: 'true' }, { NX_DAEMON: 'false' }])
      expect(summaryVerdict({ ...run, ...mode }, { root: '/ws' }, code)).toBe('answer');
  });

  it('refuses (never retires) another workspace, edited code, no run id or a client that wants none', () => {
    expect(summaryVerdict({ ...run, PWD: '/ws-copy' }, { root: '/ws' }, code)).toBe('refuse');
    expect(summaryVerdict(run, { root: '/ws' }, { now: 'c2', atStart: 'c1' })).toBe('refuse');
    expect(summaryVerdict({ PWD: '/ws' }, { root: '/ws' }, code)).toBe('refuse');
    const off = { ...run, DEPLOY_STATE_SERVER: 'off' };
    expect(summaryVerdict(off, { root: '/ws' }, code)).toBe('refuse');
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
