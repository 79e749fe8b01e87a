// Vitest globalSetup: gives the test run a real PostgreSQL server.
//
// TEST_DATABASE_URL (an admin/superuser URL) wins when set. Otherwise a throwaway
// server is started from the locally installed binaries and thrown away afterwards.
// Tests read the URL with `inject('postgresAdminUrl')` and create their own
// databases from it (see databases.ts), so test files never share state.
import { execFile } from 'node:child_process';
import { appendFile, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@todo/test-support/free-port';
import pRetry from 'p-retry';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

const execFileAsync = promisify(execFile);

const INSTALL_HINT =
  'PostgreSQL server binaries not found. Install them with ' +
  '`apt-get install -y postgresql` (Debian/Ubuntu), point PG_BIN_DIR at a directory ' +
  'containing initdb/pg_ctl/postgres, or set TEST_DATABASE_URL to an existing server.';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return async () => {};
  }

  const server = await startPostgres();
  project.provide('postgresAdminUrl', server.url);
  return server.stop;
}

export interface PostgresServer {
  /** Superuser URL on 127.0.0.1 (trust auth, no password). */
  url: string;
  /** Stops the server (immediate shutdown) and deletes its data directory. */
  stop: () => Promise<void>;
}

/**
 * Starts a throwaway PostgreSQL server (initdb into a temp dir, random port on 127.0.0.1).
 * Also used by the benchmark (bench/bench.ts).
 */
export async function startPostgres(): Promise<PostgresServer> {
  const binDir = await findBinDir();
  // initdb and postgres refuse to run as root, so on CI (root) they run as the
  // `postgres` system user that Debian's package creates.
  const asRoot = process.getuid?.() === 0;

  const baseDir = await mkdtemp(join(tmpdir(), 'todo-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'server.log');

  const run = async (tool: string, args: string[]): Promise<void> => {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]]
      : [join(binDir, tool), args];
    try {
      // cwd is the temp dir because the postgres user cannot read root's cwd (/root).
      await execFileAsync(cmd, argv, { cwd: baseDir });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${tool} failed: ${(stderr || stdout || String(error)).trim()}`, {
        cause: error,
      });
    }
  };

  const stop = async (): Promise<void> => {
    await run('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']).catch(() => {});
    await rm(baseDir, { recursive: true, force: true });
  };

  try {
    if (asRoot) {
      const { uid, gid } = await postgresUser();
      await chown(baseDir, uid, gid);
    }

    // --no-sync and the settings below trade durability for speed: the data is
    // disposable and dies with the test run.
    await run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);

    const port = await freePort();
    // Appending keeps the file owned by the server's user; later settings win.
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${baseDir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    );

    await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);

    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitUntilReady(url);
    return { url, stop };
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '(no server log)');
    console.error(`PostgreSQL failed to start. Server log tail:\n${tail(log, 40)}`);
    await stop();
    throw error;
  }
}

async function findBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const candidates = process.env.PG_BIN_DIR
    ? [process.env.PG_BIN_DIR]
    : // Newest major first; numeric so that 9.6 < 15 < 17.
      (await readdir(root).catch((): string[] => []))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
        .map((version) => join(root, version, 'bin'));
  for (const bin of candidates) {
    const entries = await readdir(bin).catch((): string[] => []);
    if (['initdb', 'pg_ctl', 'postgres'].every((tool) => entries.includes(tool))) return bin;
  }
  throw new Error(
    process.env.PG_BIN_DIR
      ? `PG_BIN_DIR=${process.env.PG_BIN_DIR} has no initdb/pg_ctl/postgres. ${INSTALL_HINT}`
      : INSTALL_HINT,
  );
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
    const { stdout: group } = await execFileAsync('id', ['-g', 'postgres']);
    return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
  } catch (error) {
    throw new Error(
      `Running as root, but there is no 'postgres' system user to run the server as. ${INSTALL_HINT}`,
      { cause: error },
    );
  }
}

// pg_ctl -w already waited for the postmaster; this proves the TCP listener the
// tests will use actually accepts logins.
function waitUntilReady(url: string): Promise<void> {
  return pRetry(
    async () => {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.query('select 1');
      } finally {
        await client.end().catch(() => {});
      }
    },
    { retries: Number.POSITIVE_INFINITY, factor: 1, minTimeout: 100, maxRetryTime: 10_000 },
  );
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
