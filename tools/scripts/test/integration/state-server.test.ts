/**
 * The resident state server as real processes: the server script, the runtime input that
 * starts and asks it, and the ways a server can be gone (idle exit, killed, raced).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { askStateServer } from '../../lib/state-server.ts';

const execFileAsync = promisify(execFile);
const SCRIPTS = join(import.meta.dirname, '..', '..');
const USAGE = /^usage: deploy-state\.ts .* [0-9a-f-]{36}$/;

let dir: string;
const started: ChildProcess[] = [];

function startServer(socket: string, idleMs = 60_000): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(SCRIPTS, 'deploy-state-server.ts'), socket, String(idleMs)],
    {
      stdio: 'ignore',
    },
  );
  started.push(child);
  return child;
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'state-server-'));
});
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('deploy-state-server.ts', () => {
  it('answers each question afresh, the way the input would in its own process', async () => {
    const socket = join(dir, 'a.sock');
    startServer(socket);
    await until(() => existsSync(socket), 'the socket');
    const first = await askStateServer(socket, ['nonsense']);
    const second = await askStateServer(socket, ['nonsense']);
    expect(first).toMatch(USAGE);
    expect(second).toMatch(USAGE);
    // A state that is not the good one ends in a new nonce every time: never a kept answer.
    expect(second).not.toBe(first);
  });

  it('leaves the socket to the server that was first when two start at once', async () => {
    const socket = join(dir, 'b.sock');
    const first = startServer(socket);
    await until(() => existsSync(socket), 'the socket');
    const second = startServer(socket);
    expect(await exited(second)).toBe(0);
    expect(first.exitCode).toBe(null);
    expect(await askStateServer(socket, [])).toMatch(USAGE);
  });

  it('takes over the socket file of a server that was killed', async () => {
    const socket = join(dir, 'c.sock');
    const killed = startServer(socket);
    await until(() => existsSync(socket), 'the socket');
    killed.kill('SIGKILL');
    await exited(killed);
    expect(existsSync(socket)).toBe(true);
    // Nobody answers: the input computes the state itself.
    expect(await askStateServer(socket, [])).toBe(undefined);
    startServer(socket);
    await until(() => existsSync(socket), 'the socket');
    await expect.poll(() => askStateServer(socket, []), { timeout: 10_000 }).toMatch(USAGE);
  });

  it('exits when idle and removes its socket', async () => {
    const socket = join(dir, 'd.sock');
    const server = startServer(socket, 300);
    await until(() => existsSync(socket), 'the socket');
    expect(await askStateServer(socket, [])).toMatch(USAGE);
    expect(await exited(server)).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });
});

describe('deploy-state.ts with DEPLOY_STATE_SERVER=on', () => {
  const run = (runtimeDir: string) =>
    execFileAsync(process.execPath, [join(SCRIPTS, 'deploy-state.ts'), 'nonsense'], {
      env: { ...process.env, DEPLOY_STATE_SERVER: 'on', XDG_RUNTIME_DIR: runtimeDir },
    });

  it('answers at once and starts the server that answers its next input', async () => {
    const runtimeDir = await mkdtemp(join(dir, 'run-'));
    const first = await run(runtimeDir);
    expect(first.stdout.trim()).toMatch(USAGE);
    await until(() => sockets(runtimeDir).length === 1, 'a server');
    const socket = join(runtimeDir, sockets(runtimeDir)[0] ?? '');
    await execFileAsync('pkill', ['-f', socket]);
    await until(() => !existsSync(socket), 'the server to stop');
    // What the next input prints is whatever answers on that socket.
    const stand = createServer({ allowHalfOpen: true }, (connection) => {
      connection.on('data', () => {});
      connection.on('end', () => connection.end('present from the server\n'));
    });
    await new Promise<void>((resolve) => stand.listen(socket, resolve));
    try {
      expect((await run(runtimeDir)).stdout).toBe('present from the server\n');
    } finally {
      stand.close();
    }
  });

  const sockets = (runtimeDir: string) =>
    readdirSync(runtimeDir).filter((name) => name.endsWith('.sock'));
});
