import { createHash } from 'node:crypto';
import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { rateLimits } from '../db/schema.ts';

type Counter = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counter) => void;
type RouteOptions = { routeInfo?: { method?: string; url?: string } };

/** Keys are bounded in the table; a longer one is kept as its digest. */
function storedKey(key: string): string {
  return key.length <= 256 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** Expired counters are deleted on every this-many increments, by whichever replica. */
const SWEEP_EVERY = 100;

/**
 * A store for @fastify/rate-limit that keeps its counters in the database, so every replica
 * counts the same attempts (the plugin's default store is one pod's memory, which multiplies a
 * client's allowance by the replica count). One upsert per counted request: a window that has
 * ended starts again at 1.
 */
export function databaseRateLimitStore(db: Db) {
  let increments = 0;

  return class DatabaseRateLimitStore {
    readonly prefix: string;

    constructor(_params?: unknown, prefix = '') {
      this.prefix = prefix;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      const windowMs = Math.max(1, Math.round(timeWindow));
      const stored = storedKey(this.prefix + key);
      const ends = sql`now() + ${windowMs} * interval '1 millisecond'`;
      db.insert(rateLimits)
        .values({ key: stored, count: 1, windowEndsAt: ends })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: {
            count: sql`case when ${rateLimits.windowEndsAt} <= now() then 1 else ${rateLimits.count} + 1 end`,
            windowEndsAt: sql`case when ${rateLimits.windowEndsAt} <= now() then ${ends} else ${rateLimits.windowEndsAt} end`,
          },
        })
        .returning({
          current: rateLimits.count,
          ttl: sql<number>`greatest(0, extract(epoch from (${rateLimits.windowEndsAt} - now())) * 1000)::float8`,
        })
        .then(async ([row]) => {
          if (++increments % SWEEP_EVERY === 0) {
            await db.delete(rateLimits).where(lt(rateLimits.windowEndsAt, sql`now()`));
          }
          callback(null, { current: row?.current ?? 1, ttl: Number(row?.ttl ?? windowMs) });
        })
        .catch((error: Error) => callback(error));
    }

    child(routeOptions: object): DatabaseRateLimitStore {
      // The plugin passes the route's rate-limit settings with the route itself as routeInfo.
      const { routeInfo } = routeOptions as RouteOptions;
      const route = `${routeInfo?.method ?? ''}${routeInfo?.url ?? ''}|`;
      return new DatabaseRateLimitStore(undefined, this.prefix + route);
    }
  };
}
