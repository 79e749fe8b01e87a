// Runs the real entry points (src/main.ts, src/migrate.ts) as child processes, for what only a
// process shows: exit codes, boot-time messages and signal handling.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort } from '@todo/test-support/free-port';
import { waitForHttp } from '@todo/test-support/wait-for-http';
import { TEST_JWT_SECRET } from './app.ts';

const entry = (name: string) => fileURLToPath(new URL(`../../src/${name}`, import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BackendProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<Finished>;
}

function run(script: string, env: Record<string, string>, cwd: string) {
  // A scratch working directory keeps a developer's .env out of the test.
  const child = spawn(process.execPath, [entry(script)], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      JWT_SECRET: TEST_JWT_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = once(child, 'exit').then(([code]) => ({
    code: code as number | null,
    stdout,
    stderr,
  }));
  return { child, exited, output: () => stdout + stderr };
}

/** Runs a command to completion: `migrate.ts`, or `main.ts` when it is expected to fail at boot. */
export async function runToExit(script: string, env: Record<string, string>): Promise<Finished> {
  return run(script, env, await mkdtemp(`${tmpdir()}/todo-cwd-`)).exited;
}

export async function startBackend(env: Record<string, string>): Promise<BackendProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = run(
    'main.ts',
    { HOST: '127.0.0.1', PORT: String(port), ...env },
    await mkdtemp(`${tmpdir()}/todo-cwd-`),
  );
  // The server listens before its start-up migrations: it has started when it is ready, or,
  // with the migrations left to `migrate`, when it answers at all.
  const probe = env.MIGRATE_ON_START === 'false' ? '/healthz' : '/readyz';
  await waitForHttp(`${url}${probe}`, {
    timeoutMs: 20_000,
    intervalMs: 100,
    stopped: () =>
      proc.child.exitCode === null ? undefined : `backend exited during start:\n${proc.output()}`,
    timeoutMessage: () => `backend did not start within 20 s:\n${proc.output()}`,
  }).catch((error: unknown) => {
    proc.child.kill('SIGKILL'); // a no-op when it has exited
    throw error;
  });
  return { url, ...proc };
}
