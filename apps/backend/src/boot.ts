import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
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

export async function migrateOrFail(database: Database, config: Config): Promise<void> {
  try {
    await database.migrate();
  } catch (error) {
    fail(`Migrations failed on ${describe(config)}: ${messageOf(error)}`);
  }
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
