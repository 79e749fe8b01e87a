import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { DatabaseConfig } from '../config/config.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: DatabaseConfig['kind'];
  /** Applies pending migrations; safe to run from several processes at once. */
  migrate(): Promise<void>;
  /** True when every committed migration has been applied. */
  isMigrated(): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** An arbitrary constant that names the migration lock in pg_advisory_lock. */
const MIGRATION_LOCK_ID = 7_164_300_201;

export async function openDatabase(
  config: DatabaseConfig,
  migrationsFolder: string,
): Promise<Database> {
  if (config.kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const dir = join(config.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    const client = await PGlite.create(dir);
    const db = drizzle(client, { schema });
    return build(
      db,
      'pglite',
      () => migrate(db, { migrationsFolder }),
      () => client.close(),
    );
  }
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Timestamps then arrive as UTC text, which toTask() turns into ISO 8601 cheaply.
    options: '-c TimeZone=UTC',
  });
  // An idle client that loses its server (database restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  const migrateLocked = async () => {
    const conn = await pool.connect();
    try {
      await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      await migrate(drizzle(conn, { schema }), { migrationsFolder });
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
      conn.release();
    }
  };
  return build(db, 'postgres', migrateLocked, () => pool.end());

  async function build(
    db: Db,
    kind: DatabaseConfig['kind'],
    runMigrations: () => Promise<void>,
    close: () => Promise<void>,
  ): Promise<Database> {
    const latest = await latestMigration(migrationsFolder);
    let closing: Promise<void> | undefined;
    return {
      db,
      kind,
      migrate: runMigrations,
      close: () => {
        closing ??= close();
        return closing;
      },
      async ping() {
        await db.execute(sql`SELECT 1`);
      },
      async isMigrated() {
        try {
          // Both drivers answer with { rows }; drizzle's shared type does not say so.
          const { rows } = (await db.execute(
            sql`SELECT max(created_at)::text AS latest FROM drizzle.__drizzle_migrations`,
          )) as unknown as { rows: { latest: string | null }[] };
          return Number(rows[0]?.latest ?? 0) >= latest;
        } catch {
          return false;
        }
      },
    };
  }
}

/** The timestamp drizzle records for the newest committed migration. */
async function latestMigration(migrationsFolder: string): Promise<number> {
  const journal = JSON.parse(
    await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as { entries: { when: number }[] };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}
