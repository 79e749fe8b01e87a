/**
 * `npx nx run infra:cache-server`: the team's Nx remote cache, served by nginx (see
 * lib/cache-server.ts), in the foreground until Ctrl-C. CI joins with the write token, laptops
 * with the read token or, when the server has none, with its address alone:
 *
 *   NX_SELF_HOSTED_REMOTE_CACHE_SERVER=http://<host>:8090
 *   NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=<token>
 *
 * Settings (environment): NX_CACHE_WRITE_TOKEN (required), NX_CACHE_READ_TOKEN,
 * NX_CACHE_SERVER_HOST (127.0.0.1; 0.0.0.0 to serve a network), NX_CACHE_SERVER_PORT (8090),
 * NX_CACHE_SERVER_DIR (~/.cache/todo-chatbot/nx-cache-server), NX_CACHE_SERVER_MAX_ENTRY_MB
 * (2048), NX_CACHE_SERVER_KEEP_DAYS (30), NGINX_BIN (nginx on PATH).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CacheServerError,
  type CacheServerSettings,
  nginxConfig,
  parseCacheServerSettings,
  serverUrl,
} from './lib/cache-server.ts';
import { runCommand } from './lib/command.ts';
import { send } from './lib/http-send.ts';
import { info } from './lib/log.ts';
import { poll } from './lib/poll.ts';

const SCOPE = 'cache-server';
const NOBODY_UID = 65_534;
const START_TIMEOUT_MS = 5_000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** The nginx to run and its version line; it must have the WebDAV module (uploads). */
function findNginx(): { bin: string; version: string } {
  const bin = process.env.NGINX_BIN || 'nginx';
  const probe = spawnSync(bin, ['-V'], { encoding: 'utf8' });
  if (probe.error)
    throw new CacheServerError(
      `${bin} not found: install nginx (Debian/Ubuntu: apt-get install nginx; macOS: brew install nginx) or set NGINX_BIN`,
    );
  const version = probe.stderr.split('\n')[0]?.replace(/^nginx version: /, '') ?? bin;
  if (!probe.stderr.includes('--with-http_dav_module'))
    throw new CacheServerError(
      `${version} has no WebDAV module, which takes the uploads: install the full nginx package (not nginx-light)`,
    );
  return { bin, version };
}

/** The user nginx's workers run as when it starts as root, and makes the entries' owner. */
function workerUser(): { name: string; group: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const group = spawnSync('id', ['-gn', 'nobody'], { encoding: 'utf8' }).stdout.trim();
  return { name: 'nobody', group: group || 'nogroup' };
}

async function waitUntilServing(nginx: ChildProcess, url: string, stderr: () => string) {
  const serving = await poll(
    async () => {
      const answer = await send(new URL('/health', url), {
        method: 'GET',
        headers: {},
        timeoutMs: 500,
      });
      return answer.status === 200 || undefined;
    },
    {
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 100,
      stopped: () => (nginx.exitCode === null ? undefined : 'exited'),
      timeoutMessage: () => 'not serving',
    },
  ).catch(() => false);
  if (serving) return;
  const said = stderr().trim().split('\n').at(-1) ?? '';
  const hint = /Address already in use/.test(said)
    ? ': another server has the port; set NX_CACHE_SERVER_PORT'
    : '';
  nginx.kill('SIGKILL');
  throw new CacheServerError(`nginx did not start serving ${url}${hint}\n${said}`);
}

/** Removes entries older than the settings keep them, and says how many. */
async function sweep(entries: string, keepDays: number): Promise<void> {
  const cutoff = Date.now() - keepDays * 24 * 60 * 60 * 1000;
  let removed = 0;
  for (const name of await readdir(entries)) {
    const path = join(entries, name);
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Date.now() }));
    if (mtimeMs < cutoff) {
      await rm(path, { force: true });
      removed += 1;
    }
  }
  if (removed > 0) info(SCOPE, `removed ${removed} entries older than ${keepDays} days`);
}

function joinLines(settings: CacheServerSettings, url: string): string[] {
  const reads = settings.readToken
    ? 'reads need NX_CACHE_READ_TOKEN (or the write token)'
    : 'reads are open to anyone who can reach it (set NX_CACHE_READ_TOKEN to close them)';
  return [
    `uploads need NX_CACHE_WRITE_TOKEN; ${reads}`,
    `join: NX_SELF_HOSTED_REMOTE_CACHE_SERVER=${url} (from another machine: this machine's address), and NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=<token>`,
  ];
}

async function main(): Promise<void> {
  const settings = parseCacheServerSettings(process.env);
  const { bin, version } = findNginx();
  const user = workerUser();
  const paths = {
    entries: join(settings.dir, 'entries'),
    tmp: join(settings.dir, 'tmp'),
    pid: join(settings.dir, 'run', 'nginx.pid'),
    accessLog: join(settings.dir, 'access.log'),
  };
  for (const dir of [paths.entries, paths.tmp, join(settings.dir, 'run')])
    await mkdir(dir, { recursive: true, mode: 0o700 });
  if (user) {
    // The workers may pass through the server's folder (not list it: run/ holds the config).
    await chmod(settings.dir, 0o711);
    for (const dir of [paths.entries, paths.tmp]) await chown(dir, NOBODY_UID, NOBODY_UID);
  }
  const config = join(settings.dir, 'run', 'nginx.conf');
  await writeFile(config, nginxConfig(settings, paths, user), { mode: 0o600 });

  const url = serverUrl(settings);
  const nginx = spawn(bin, ['-p', settings.dir, '-c', config, '-e', 'stderr'], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  nginx.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  try {
    await waitUntilServing(nginx, url, () => stderr);
  } finally {
    // nginx has read it (or will never): the tokens stay in no file.
    await rm(config, { force: true });
  }
  info(SCOPE, `${version} serves the Nx remote cache on ${url} (entries in ${paths.entries})`);
  for (const line of joinLines(settings, url)) info(SCOPE, line);

  await sweep(paths.entries, settings.keepDays);
  const sweeper = setInterval(() => void sweep(paths.entries, settings.keepDays), SWEEP_EVERY_MS);
  const stop = () => nginx.kill('SIGQUIT');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    nginx.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearInterval(sweeper);
  if (code !== 0) throw new CacheServerError(`nginx stopped (${signal ?? `exit ${code}`})`);
  info(SCOPE, 'stopped');
}

if (import.meta.main) await runCommand(SCOPE, main);
