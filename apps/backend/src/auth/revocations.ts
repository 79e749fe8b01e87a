import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { revokedSessions } from '../db/schema.ts';

export interface Session {
  userId: number;
  /** The token's id (its `jti`). */
  id: string;
  expiresAt: Date;
}

/** Where ended sessions are kept: the database, so every replica sees a logout at once. */
export interface RevocationStore {
  isRevoked(sessionId: string): Promise<boolean>;
  revoke(session: Session): Promise<void>;
}

export function databaseRevocations(db: Db): RevocationStore {
  return {
    async isRevoked(sessionId) {
      const rows = await db
        .select({ jti: revokedSessions.jti })
        .from(revokedSessions)
        .where(eq(revokedSessions.jti, sessionId))
        .limit(1);
      return rows.length > 0;
    },
    async revoke(session) {
      await db
        .insert(revokedSessions)
        .values({ jti: session.id, userId: session.userId, expiresAt: session.expiresAt })
        .onConflictDoNothing();
      // A token past its expiry is refused anyway: its row is no longer needed.
      await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
    },
  };
}
