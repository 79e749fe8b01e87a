/**
 * The registry's own record of what it received, for the registry-transport scenarios: its
 * access log read from a mark, and a second, password-protected Distribution registry that
 * refuses every login.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from '@todo/scripts/lib/poll.ts';
import { freePort } from '@todo/test-support/free-port';
import { binaryPath, PROGRAMS } from '../../cluster/lib/go-build.ts';
import { registryLog } from '../../cluster/lib/registry.ts';

/** Where the registry's log ends now: what a deploy sent is what comes after. */
export async function logMark(): Promise<number> {
  return (await stat(registryLog()).catch(() => ({ size: 0 }))).size;
}

/** The registry's log since the mark. */
export async function logSince(mark: number): Promise<string> {
  return (await readFile(registryLog())).subarray(mark).toString('utf8');
}

/** Pure: the requests that change what a registry holds (uploads, manifests, deletions). */
export function writeRequests(log: string): string[] {
  return [...log.matchAll(/"((?:PUT|POST|PATCH|DELETE) \S+) HTTP\/[\d.]+"/g)].map(
    (match) => match[1] as string,
  );
}

/**
 * The test cluster's Distribution binary serving a registry that demands a login nobody has
 * (its htpasswd file holds one user whose password is unknown).
 */
export async function startLockedRegistry(): Promise<{ host: string; stop: () => Promise<void> }> {
  const program = PROGRAMS.find((candidate) => candidate.module === 'registry');
  if (!program) throw new Error('the test cluster builds no registry program');
  const dir = await mkdtemp(join(tmpdir(), 'todo-e2e-locked-registry-'));
  const port = await freePort();
  await writeFile(
    join(dir, 'htpasswd'),
    'nobody:$2y$05$CZwd8dBqNyBvpGXKEoUf3.UJZLZ0mFRBBJqQfWuA3Vt1wWWU6FKha\n',
  );
  await writeFile(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
      `http: { addr: "127.0.0.1:${port}" }`,
      `auth: { htpasswd: { realm: todo-e2e, path: ${join(dir, 'htpasswd')} } }`,
    ].join('\n'),
  );
  const child = spawn(binaryPath(program), ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const host = `localhost:${port}`;
  await poll(
    async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).status === 401 || undefined,
    {
      timeoutMs: 20_000,
      intervalMs: 200,
      timeoutMessage: (last) => `the locked registry on ${host} did not start ${last}`,
    },
  );
  return {
    host,
    stop: async () => {
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
