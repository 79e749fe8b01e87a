/**
 * The team's Nx remote cache (cache-server.ts, real nginx) for the tests, on a free port with
 * a folder of its own and known tokens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/** The workspace root (this package is tools/test-support). */
const workspaceRoot = join(import.meta.dirname, '..', '..');

export const WRITE_TOKEN = `ci-${'w'.repeat(29)}`;
export const READ_TOKEN = `laptop-${'r'.repeat(25)}`;

export type CacheServer = {
  url: string;
  dir: string;
  process: ChildProcess;
  output: () => string;
  /** Stops nginx and removes the server's folder. */
  stop: () => Promise<void>;
};

export async function startCacheServer(): Promise<CacheServer> {
  const dir = await mkdtemp(join(tmpdir(), 'nx-cache-server-'));
  const port = await freePort();
  const child = spawn('node', [join(workspaceRoot, 'tools/scripts/cache-server.ts')], {
    env: {
      ...process.env,
      NX_CACHE_WRITE_TOKEN: WRITE_TOKEN,
      NX_CACHE_READ_TOKEN: READ_TOKEN,
      NX_CACHE_SERVER_PORT: String(port),
      NX_CACHE_SERVER_DIR: dir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('serves the Nx remote cache')) resolve();
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`cache-server exited ${code}:\n${output}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    process: child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
