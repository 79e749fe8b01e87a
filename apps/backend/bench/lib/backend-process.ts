/**
 * The backend under test, run like in a deployment: `node dist/migrate.js` once, then one
 * `node dist/main.js`. Its output goes to a log file, and its last lines into error reports.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { formatDuration, messageOf } from './format.ts';
import { backendRoot, dist } from './paths.ts';

const execFileAsync = promisify(execFile);

/** Enough to show a stack trace and the log lines before it. */
const TAIL_LINES = 40;

export async function buildState(): Promise<'missing' | 'stale' | 'fresh'> {
  if (!existsSync(join(dist, 'main.js')) || !existsSync(join(dist, 'migrate.js'))) {
    return 'missing';
  }
  const [builtAt, sourceChangedAt] = await Promise.all([
    stat(join(dist, 'main.js')).then((s) => s.mtimeMs),
    newestMtime(join(backendRoot, 'src')),
  ]);
  return sourceChangedAt > builtAt ? 'stale' : 'fresh';
}

/** Only PATH is inherited: the caller's DATABASE_URL, LOG_LEVEL etc. must not change the numbers. */
export function backendEnv(
  databaseUrl: string,
  port: number,
  poolMax: number | undefined,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    // Migrations run once beforehand, as a separate step like in a deployment.
    MIGRATE_ON_START: 'false',
    ...(poolMax && { DATABASE_POOL_MAX: String(poolMax) }),
  };
}

/** Returns the migration's output. */
export async function runMigrations(
  env: NodeJS.ProcessEnv,
  cwd: string,
  signal: AbortSignal,
): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(dist, 'migrate.js')], {
      cwd,
      env,
      timeout: 120_000,
      signal,
    });
    return `${stdout}${stderr}`.trim();
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}${stderr}`.trim();
    throw new Error(`dist/migrate.js failed:\n${output ? clip(output) : messageOf(error)}`);
  }
}

export interface Backend {
  url: string;
  pid: number | undefined;
  /**
   * Aborted once the process has ended and all its output has been read; the reason says
   * how it ended ("exited with code 1").
   */
  ended: AbortSignal;
  stderrTail(): string;
  stdoutTail(): string;
  /** Stops the process if it still runs, then closes the log file. */
  stop(): Promise<void>;
}

/**
 * The flags the backend runs with in production (the `serve` target, the image's CMD), so the
 * benchmark measures what ships. A 32 MB young generation halves scavenges under load: +17-21%
 * GET throughput measured on 2026-11-22 (see BENCHMARKS.md).
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=32'];

export function startBackend(options: {
  env: NodeJS.ProcessEnv;
  port: number;
  nodeArgs: string[];
  cwd: string;
  logFile: string;
}): Backend {
  const child = spawn(
    process.execPath,
    [...PRODUCTION_NODE_FLAGS, ...options.nodeArgs, join(dist, 'main.js')],
    { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(options.logFile);
  const stdoutTail = keepTail(child.stdout, log);
  const stderrTail = keepTail(child.stderr, log);
  const end = new AbortController();
  child.on('close', (code, signal) => {
    end.abort(signal ? `was killed by ${signal}` : `exited with code ${code}`);
  });
  child.on('error', (error) => end.abort(`could not be started (${error.message})`));
  // Last resort when this process exits without the cleanup (a second Ctrl-C).
  process.on('exit', () => {
    if (!end.signal.aborted) child.kill('SIGKILL');
  });

  const stop = async () => {
    if (!end.signal.aborted) {
      child.kill('SIGTERM');
      // The backend drains in-flight requests for up to 10 s (close-with-grace) before exiting.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await once(end.signal, 'abort');
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => log.end(resolve));
  };

  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: child.pid,
    ended: end.signal,
    stderrTail,
    stdoutTail,
    stop,
  };
}

export async function waitUntilReady(
  backend: Backend,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (backend.ended.aborted) {
      throw new Error(`the backend ${backend.ended.reason} before it was ready`);
    }
    try {
      const res = await fetch(`${backend.url}/readyz`, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]),
      });
      const body = await res.text();
      if (res.ok) return;
      last = `${res.status} ${body}`;
    } catch (error) {
      signal.throwIfAborted();
      last = messageOf(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`/readyz did not answer 200 within ${formatDuration(timeoutMs)}: ${last}`);
    }
    await sleep(100, undefined, { signal });
  }
}

/** Copies a stream into the log and returns a function that gives its last lines. */
function keepTail(stream: Readable, log: WriteStream): () => string {
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    log.write(chunk);
    text = (text + chunk)
      .split('\n')
      .slice(-TAIL_LINES - 1)
      .join('\n');
  });
  return () => clip(text, TAIL_LINES);
}

/** The last lines of a process's output, each cut short: bundled code makes very long lines. */
function clip(text: string, lines = 30, width = 400): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => (line.length > width ? `${line.slice(0, width)} [...]` : line))
    .join('\n');
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const { mtimeMs } = await stat(join(entry.parentPath, entry.name));
    newest = Math.max(newest, mtimeMs);
  }
  return newest;
}
