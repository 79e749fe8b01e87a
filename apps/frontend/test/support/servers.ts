/**
 * Starts the production builds of both apps the way they run in a container: the bundled backend
 * on its embedded database, and Next's standalone server pointed at it through BACKEND_URL.
 * Everything listens on 127.0.0.1 only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@todo/test-support/free-port';
import { waitForHttp } from '@todo/test-support/wait-for-http';
import { ensureStandaloneModules } from '../../scripts/standalone-modules.ts';

const workspaceRoot = fileURLToPath(new URL('../../../..', import.meta.url));
export const BACKEND_MAIN = join(workspaceRoot, 'apps/backend/dist/main.js');
export const FRONTEND_SERVER = join(
  workspaceRoot,
  'apps/frontend/.next/standalone/apps/frontend/server.js',
);

export interface Service {
  url: string;
  port: number;
  /** The last lines the process printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

function requireBuilt(file: string, target: string) {
  if (!existsSync(file)) throw new Error(`${file} is missing; run \`npx nx run ${target}\` first`);
}

function waitUntilReady(url: string, child: ChildProcess, output: () => string) {
  return waitForHttp(url, {
    timeoutMs: 30_000,
    intervalMs: 150,
    stopped: () =>
      child.exitCode === null
        ? undefined
        : `process exited with ${child.exitCode} before ${url} answered:\n${output()}`,
    timeoutMessage: () => `${url} did not answer within 30 s:\n${output()}`,
  });
}

async function startNode(
  script: string,
  env: { NODE_ENV: 'production' } & Record<string, string>,
  cwd: string,
  port: number,
  readyPath: string,
): Promise<Service> {
  const child = spawn(process.execPath, [script], {
    cwd,
    // Only what the service needs, so that the developer's environment cannot change the run.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => log.split('\n').slice(-40).join('\n');
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(`${url}${readyPath}`, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, output, stop };
}

// One secret per test run, so that sessions survive a backend restart within the run.
const secret = randomBytes(32).toString('hex');

/** A fresh backend on its embedded database in dataDir; the same dataDir resumes the same data. */
export async function startBackend(
  dataDir: string,
  port?: number,
  extraEnv: Record<string, string> = {},
): Promise<Service> {
  requireBuilt(BACKEND_MAIN, 'backend:build');
  const chosen = port ?? (await freePort());
  return startNode(
    BACKEND_MAIN,
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(chosen),
      DATA_DIR: dataDir,
      JWT_SECRET: secret,
      // The deterministic built-in assistant, whatever LLM key the environment may hold.
      LLM_PROVIDER: 'builtin',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    // The backend also reads .env from its working directory; the data dir has none.
    dataDir,
    chosen,
    '/readyz',
  );
}

export async function startFrontend(
  backendUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<Service> {
  requireBuilt(FRONTEND_SERVER, 'frontend:build');
  await ensureStandaloneModules();
  const port = await freePort();
  return startNode(
    FRONTEND_SERVER,
    {
      NODE_ENV: 'production',
      HOSTNAME: '127.0.0.1',
      PORT: String(port),
      BACKEND_URL: backendUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      ...extraEnv,
    },
    workspaceRoot,
    port,
    '/healthz',
  );
}
