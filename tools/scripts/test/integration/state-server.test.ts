/**
 * The resident state server as real processes: the server script, both clients of a runtime
 * input (the shell one through curl, and Node's), and the ways a server can be gone or wrong
 * (idle exit, killed, raced, another environment).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { askStateServer, STATE_SOCKET } from '../../lib/state-server.ts';
import { scriptsWorkspace as workspaceWithScripts } from '../support/scripts-workspace.ts';

const execFileAsync = promisify(execFile);
const SCRIPTS = join(import.meta.dirname, '..', '..');
const USAGE = /^usage: deploy-state\.ts .* [0-9a-f-]{36}$/;
const USAGE_LINE = /^usage: deploy-state\.ts .* [0-9a-f-]{36}\n$/;
// The server answers only its own environment: every process here gets this one.
const ENV = { ...process.env, DEPLOY_STATE_SERVER: 'on' };

let dir: string;
const started: ChildProcess[] = [];

/** A workspace root of its own per test: the socket lives inside the workspace. */
async function workspace(name: string): Promise<{ root: string; socket: string }> {
  const root = join(dir, name);
  await mkdir(root);
  return { root, socket: join(root, STATE_SOCKET) };
}

function startServer(
  root: string,
  idleMs = 60_000,
  env: NodeJS.ProcessEnv = ENV,
  owner?: number,
): ChildProcess {
  const args = [String(idleMs), ...(owner ? ['--owner', String(owner)] : [])];
  const child = spawn(process.execPath, [join(SCRIPTS, 'deploy-state-server.ts'), ...args], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  started.push(child);
  return child;
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  await expect
    .poll(check, { timeout: timeoutMs, interval: 25, message: `timed out waiting for ${what}` })
    .toBe(true);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/** A PATH holding only these tools, so a test knows which way an answer came. */
async function pathWith(tools: string[]): Promise<string> {
  const bin = join(dir, `bin-${tools.join('-')}`);
  if (existsSync(bin)) return bin;
  await mkdir(bin);
  for (const tool of tools) {
    const found = await execFileAsync('sh', ['-c', `command -v ${tool}`]);
    await symlink(found.stdout.trim(), join(bin, tool));
  }
  return bin;
}

/** The shell client as Nx runs it: stdout, and whether it answered. */
async function askShell(root: string, args: string[], env: NodeJS.ProcessEnv = ENV) {
  try {
    const { stdout } = await execFileAsync('sh', [join(SCRIPTS, 'deploy-state.sh'), ...args], {
      cwd: root,
      env,
    });
    return { answered: true, stdout };
  } catch (error) {
    return { answered: false, stdout: (error as { stdout: string }).stdout };
  }
}

/**
 * The environment of a machine where Node is not on PATH (a server runs by its full path): a
 * shell client there answers only through a server, so a test knows which way it came.
 */
let NO_NODE: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'state-server-'));
  NO_NODE = { ...ENV, PATH: await pathWith(['sh', 'env', 'curl', 'dirname']) };
});
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('deploy-state-server.ts', () => {
  it('answers each question afresh, the way the input would in its own process', async () => {
    const { root, socket } = await workspace('fresh');
    startServer(root);
    await until(() => existsSync(socket), 'the socket');
    const first = await askStateServer(socket, ['nonsense'], ENV, root);
    const second = await askStateServer(socket, ['nonsense'], ENV, root);
    expect(first).toMatch(USAGE);
    expect(second).toMatch(USAGE);
    // A state that is not the good one ends in a new nonce every time: never a kept answer.
    expect(second).not.toBe(first);
  });

  it('answers the shell client without Node, from the path the script names', async () => {
    expect(readFileSync(join(SCRIPTS, 'lib', 'state-client.sh'), 'utf8')).toContain(STATE_SOCKET);
    const { root, socket } = await workspace('shell');
    startServer(root, 60_000, NO_NODE);
    await until(() => existsSync(socket), 'the socket');
    const answer = await askShell(root, ['nonsense', 'x'], NO_NODE);
    expect(answer.answered).toBe(true);
    expect(answer.stdout).toMatch(USAGE_LINE);
  });

  it('lets a client that wants no server compute its own answer, and stays', async () => {
    const { root, socket } = await workspace('refuse');
    const server = startServer(root, 60_000, NO_NODE);
    await until(() => existsSync(socket), 'the socket');
    const off = { ...NO_NODE, DEPLOY_STATE_SERVER: 'off' };
    expect(await askStateServer(socket, ['nonsense'], off, root)).toBe(undefined);
    expect(await askShell(root, ['nonsense'], off)).toEqual({ answered: false, stdout: '' });
    expect(server.exitCode).toBe(null);
    expect(await askStateServer(socket, ['nonsense'], NO_NODE, root)).toMatch(USAGE);
  });

  it('retires when a client runs with another setting: nobody answers for the wrong one', async () => {
    const { root, socket } = await workspace('retire');
    const server = startServer(root, 60_000, NO_NODE);
    await until(() => existsSync(socket), 'the socket');
    const other = { ...NO_NODE, DEPLOY_NAMESPACE: 'somewhere-else' };
    expect(await askShell(root, ['nonsense'], other)).toEqual({
      answered: false,
      stdout: '',
    });
    expect(await exited(server)).toBe(0);
    expect(existsSync(socket)).toBe(false);
    expect(await askStateServer(socket, ['nonsense'], ENV, root)).toBe(undefined);
  });

  it('leaves the socket to the server that was first when two start at once', async () => {
    const { root, socket } = await workspace('race');
    const first = startServer(root);
    await until(() => existsSync(socket), 'the socket');
    const second = startServer(root);
    expect(await exited(second)).toBe(0);
    expect(first.exitCode).toBe(null);
    expect(await askStateServer(socket, [], ENV, root)).toMatch(USAGE);
  });

  it('takes over the socket file of a server that was killed', async () => {
    const { root, socket } = await workspace('killed');
    const killed = startServer(root);
    await until(() => existsSync(socket), 'the socket');
    killed.kill('SIGKILL');
    await exited(killed);
    expect(existsSync(socket)).toBe(true);
    // Nobody answers: the input computes the state itself.
    expect(await askStateServer(socket, [], ENV, root)).toBe(undefined);
    expect((await askShell(root, [], NO_NODE)).answered).toBe(false);
    startServer(root);
    await expect
      .poll(() => askStateServer(socket, [], ENV, root), { timeout: 10_000 })
      .toMatch(USAGE);
  });

  it('exits when idle and removes its socket', async () => {
    const { root, socket } = await workspace('idle');
    // Long enough for the modules the server loads at start (it answers no question meanwhile).
    const server = startServer(root, 2_000);
    await until(() => existsSync(socket), 'the socket');
    expect(await askStateServer(socket, [], ENV, root)).toMatch(USAGE);
    expect(await exited(server)).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });
});

describe('a run-scoped server (CI, NX_DAEMON=false)', () => {
  it('serves only the Nx process that owns it, and exits with it', async () => {
    const { root, socket } = await workspace('run-scoped');
    const owner = spawn('sleep', ['60']);
    started.push(owner);
    const env = {
      ...NO_NODE,
      DEPLOY_STATE_SERVER: 'auto',
      NX_DAEMON: 'false',
      DEPLOY_STATE_OWNER: String(owner.pid),
    };
    const server = startServer(root, 60_000, env, owner.pid);
    await until(() => existsSync(socket), 'the socket');
    expect((await askShell(root, ['nonsense'], env)).stdout).toMatch(USAGE_LINE);
    owner.kill('SIGKILL');
    expect(await exited(server)).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  it('retires when another run asks it', async () => {
    const { root, socket } = await workspace('other-run');
    const env = { ...NO_NODE, DEPLOY_STATE_SERVER: 'auto', CI: 'true', DEPLOY_STATE_OWNER: '4242' };
    const server = startServer(root, 60_000, env, process.pid);
    await until(() => existsSync(socket), 'the socket');
    expect((await askShell(root, ['nonsense'], env)).answered).toBe(false);
    expect(await exited(server)).toBe(0);
  });
});

describe('deploy-state.sh without a server, or without curl', () => {
  it('answers through deploy-state.ts', async () => {
    const { root } = await workspace('no-curl');
    const path = await pathWith(['sh', 'env', 'node', 'dirname']);
    for (const env of [ENV, { ...ENV, PATH: path }]) {
      const answer = await askShell(root, ['nonsense'], { ...env, DEPLOY_STATE_SERVER: 'off' });
      expect(answer.answered).toBe(true);
      expect(answer.stdout).toMatch(USAGE_LINE);
    }
  });
});

/** A workspace of its own with the pipeline's scripts, where deploy-state.ts starts its server. */
const scriptsWorkspace = (name = 'scripts-workspace') => workspaceWithScripts(join(dir, name));

describe('deploy-state.ts with DEPLOY_STATE_SERVER=on', () => {
  it('answers at once, starts the server that answers the next input, and asks it', async () => {
    const root = await scriptsWorkspace();
    const socket = join(root, STATE_SOCKET);
    const run = () =>
      execFileAsync(
        process.execPath,
        [join(root, 'tools', 'scripts', 'deploy-state.ts'), 'nonsense'],
        { cwd: root, env: NO_NODE },
      );
    expect((await run()).stdout).toMatch(/^usage: deploy-state\.ts .* [0-9a-f-]{36}\n$/);
    await until(() => existsSync(socket), 'the server it started');
    const shell = await askShell(root, ['nonsense'], NO_NODE);
    expect(shell.answered).toBe(true);
    expect(shell.stdout).toMatch(USAGE_LINE);
    // Asked with another environment, the server retires and frees the socket.
    const elsewhere = { ...NO_NODE, KUBECONFIG: '/elsewhere' };
    expect((await askShell(root, ['nonsense'], elsewhere)).answered).toBe(false);
    await until(() => !existsSync(socket), 'the server to retire');
    // What the Node client prints is whatever answers on that socket.
    const stand = createServer((_question, reply) => reply.end('present from the server\n'));
    await new Promise<void>((resolve) => stand.listen(socket, resolve));
    try {
      expect((await run()).stdout).toBe('present from the server\n');
    } finally {
      stand.close();
    }
  });
});

describe('deploy-summary.sh, the deploy target', () => {
  const RUN = '4242';
  /** A workspace of its own whose last run built the backend, with this run's id. */
  async function summaryWorkspace(name: string): Promise<string> {
    const root = await scriptsWorkspace(name);
    const steps = join(root, 'dist', 'deploy', 'steps');
    await mkdir(steps, { recursive: true });
    const record = {
      task: 'backend:docker-build',
      action: 'built',
      reason: 'sources changed',
      durationMs: 1234,
      finishedAt: '2026-11-30T00:00:00.000Z',
      invocation: RUN,
    };
    await writeFile(join(steps, 'backend--docker-build.json'), JSON.stringify(record));
    return root;
  }
  const summary = (root: string, env: NodeJS.ProcessEnv) =>
    execFileAsync('sh', [join(root, 'tools', 'scripts', 'deploy-summary.sh')], {
      cwd: root,
      env: { ...env, NX_INVOCATION_ROOT_PID: RUN },
    });
  const byNode = (root: string) =>
    execFileAsync(process.execPath, [join(root, 'tools', 'scripts', 'deploy-summary.ts')], {
      cwd: root,
      env: { ...ENV, NX_INVOCATION_ROOT_PID: RUN },
    });

  it('prints the summary from the server without Node, the text deploy-summary.ts prints', async () => {
    const root = await summaryWorkspace('summary-server');
    const env = { ...NO_NODE, NX_INVOCATION_ROOT_PID: RUN };
    started.push(
      spawn(process.execPath, [join(root, 'tools', 'scripts', 'deploy-state-server.ts')], {
        cwd: root,
        env,
        stdio: 'ignore',
      }),
    );
    await until(() => existsSync(join(root, STATE_SOCKET)), 'the socket');
    const served = await summary(root, NO_NODE);
    expect(served.stdout).toMatch(/backend:docker-build +built +1\.2 s +sources changed/);
    expect(served.stdout).toBe((await byNode(root)).stdout);
  });

  it("is printed by a CI-mode run's own server, although the deploy target's client names no owner", async () => {
    const root = await summaryWorkspace('summary-run-server');
    const ci = { ...NO_NODE, DEPLOY_STATE_SERVER: 'auto', CI: 'true' };
    const owner = String(process.pid);
    started.push(
      spawn(
        process.execPath,
        [join(root, 'tools', 'scripts', 'deploy-state-server.ts'), '--owner', owner],
        { cwd: root, env: { ...ci, DEPLOY_STATE_OWNER: owner }, stdio: 'ignore' },
      ),
    );
    await until(() => existsSync(join(root, STATE_SOCKET)), 'the socket');
    // Without node on PATH the client's fallback cannot run: the text is the server's.
    const served = await summary(root, ci);
    expect(served.stdout).toMatch(/backend:docker-build +built +1\.2 s +sources changed/);
  });

  it('prints it through deploy-summary.ts when no server answers', async () => {
    const root = await summaryWorkspace('summary-no-server');
    const printed = await summary(root, { ...ENV, DEPLOY_STATE_SERVER: 'off' });
    expect(printed.stdout).toMatch(/backend:docker-build +built/);
    expect(printed.stdout).toBe((await byNode(root)).stdout);
  });
});
