import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import pRetry from 'p-retry';
import { type Config, ConfigError, loadConfig } from './config/config.ts';
import { type Database, openDatabase } from './db/database.ts';

/**
 * Where the committed SQL migrations are: beside the bundle in dist/, or in drizzle/ when
 * running from source.
 */
export function migrationsFolder(): string {
  const bundled = fileURLToPath(new URL('./migrations', import.meta.url));
  return existsSync(bundled) ? bundled : fileURLToPath(new URL('../drizzle', import.meta.url));
}

/** Reads .env (when present) and the environment once; a bad value ends the process with a readable message. */
export function configFromEnvironment(): Config {
  loadDotenv({ quiet: true });
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}\nSee .env.example for every setting.`);
    throw error;
  }
}

export async function connect(config: Config): Promise<Database> {
  try {
    return await openDatabase(config.database, migrationsFolder());
  } catch (error) {
    fail(`Cannot open the database (${describe(config)}): ${messageOf(error)}`);
  }
}

/**
 * Migrates at start-up. A PostgreSQL server that does not answer yet (it is starting, or
 * restarting next to this pod) is waited for, up to DATABASE_WAIT_SECONDS, with a line per
 * attempt: a pod that exits instead lands in CrashLoopBackOff and comes back minutes late.
 * Attempts are at most a second apart: a refused connection costs nothing, and a longer
 * back-off only keeps the pod waiting after the database is up (up to 4 s on a cold install).
 * The first come sooner (0.1 s, doubling): where NetworkPolicy is enforced, a new pod's first
 * connection is refused until the policy controller has seen the pod, a fraction of a second,
 * and every rollout waits for it.
 */
export async function migrateOrFail(database: Database, config: Config): Promise<void> {
  const waitSeconds = config.database.kind === 'postgres' ? config.database.waitSeconds : 0;
  try {
    await pRetry(() => database.migrate(), {
      retries: Number.POSITIVE_INFINITY,
      maxRetryTime: waitSeconds * 1000,
      minTimeout: 100,
      maxTimeout: 1_000,
      shouldRetry: ({ error }) => waitSeconds > 0 && isUnreachable(error),
      onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
        if (retryDelay === 0) return;
        process.stderr.write(
          `Waiting for the database (${describe(config)}): ${messageOf(error)}; attempt ${attemptNumber}, next in ${(retryDelay / 1000).toFixed(1)} s (DATABASE_WAIT_SECONDS=${waitSeconds})\n`,
        );
      },
    });
  } catch (error) {
    const gaveUp = waitSeconds > 0 && isUnreachable(error);
    fail(
      `Migrations failed on ${describe(config)}: ${messageOf(error)}${gaveUp ? ` (no answer within DATABASE_WAIT_SECONDS=${waitSeconds})` : ''}`,
    );
  }
}

/** Network errors and PostgreSQL's "cannot connect now" class: worth waiting out. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);

function isUnreachable(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08')))
    return true;
  // node-postgres reports a connection the server dropped or never finished by message only.
  if (/^(Connection terminated|timeout exceeded when trying to connect)/.test(error.message))
    return true;
  return isUnreachable(error.cause);
}

/** The database's location without credentials, for messages. */
function describe(config: Config) {
  if (config.database.kind === 'pglite') return `embedded PGlite in ${config.database.dataDir}`;
  try {
    const url = new URL(config.database.url);
    return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname} from DATABASE_URL`;
  } catch {
    return 'PostgreSQL from DATABASE_URL';
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return messageOf(error.errors[0]);
  const cause = error instanceof Error && error.cause ? `: ${messageOf(error.cause)}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
