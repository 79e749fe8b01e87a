/** The PostgreSQL the backend uses: BENCH_DATABASE_URL, or a throwaway server on this machine. */
import pg from 'pg';
import { startPostgres } from '../../test/support/postgres.ts';
import { parentPid } from './cpu.ts';
import { messageOf } from './format.ts';
import { type Cleanups, log, phase } from './lifecycle.ts';

export interface Database {
  url: string;
  /** How the run got it, for results.json. */
  source: string;
  version: string;
  /** Only a server this run started is certainly on this machine, so only its CPU counts. */
  postmaster: number | undefined;
}

export async function openDatabase(
  externalUrl: string | undefined,
  cleanups: Cleanups,
): Promise<Database> {
  if (externalUrl) {
    log(`using BENCH_DATABASE_URL ${redactUrl(externalUrl)}`);
    const { version } = await inspect(externalUrl);
    return { url: externalUrl, source: 'BENCH_DATABASE_URL', version, postmaster: undefined };
  }
  // Not raced against Ctrl-C: the server must be known to be stopped. The signal reaches
  // initdb/pg_ctl too, and the phase gives up once the server's cleanup is registered.
  const server = await phase('starting a throwaway PostgreSQL', async () => {
    const started = await startPostgres();
    cleanups.add('stopped PostgreSQL', started.stop);
    return started;
  });
  return {
    url: server.url,
    source: 'throwaway server (fsync=off, synchronous_commit=off)',
    ...(await inspect(server.url)),
  };
}

async function inspect(url: string): Promise<{ version: string; postmaster: number | undefined }> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string; pid: number }>(
      'SELECT current_setting($1) AS version, pg_backend_pid() AS pid',
      ['server_version'],
    );
    // Read while the connection (and so its server process) is still alive.
    const postmaster = await parentPid(rows[0]?.pid);
    return { version: rows[0]?.version ?? 'unknown', postmaster };
  } catch (error) {
    return { version: `unknown (${messageOf(error)})`, postmaster: undefined };
  } finally {
    await client.end().catch(() => {});
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
