import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { RevocationStore, Session } from './revocations.ts';

export interface TokenService {
  issue(userId: number): Promise<{ token: string; expiresAt: Date }>;
  /** The session the token stands for, or undefined when it is invalid, expired or ended. */
  verify(token: string): Promise<Session | undefined>;
  /** Ends the token's session before it expires (logout); an invalid token is ignored. */
  revoke(token: string): Promise<void>;
}

const ISSUER = 'todo-chatbot';

/** Verified signatures remembered at most; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * How long this replica trusts the database's "not ended" for a token. A logout answered here
 * counts at once; one answered by another replica counts here within this time. Asking on
 * every request cost the hottest read (a page of tasks) an extra query.
 */
export const SESSION_RECHECK_MS = 1_000;

/** A token whose signature checked out, and when the database last said it was not ended. */
type Verified = { session: Session; checkedAt: number };

export function createTokenService(
  secret: Uint8Array,
  ttlSeconds: number,
  revocations: RevocationStore,
): TokenService {
  // Imported once: given the raw bytes, jose imports a WebCrypto key on every call.
  const key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  // Clients send the same token with every request. Verifying its signature costs ~40 µs of
  // CPU, so the answer is kept until the token expires, with when the database last said the
  // session was not ended.
  const verified = new Map<string, Verified>();

  async function signed(token: string): Promise<Verified | undefined> {
    const known = verified.get(token);
    if (known) {
      if (known.session.expiresAt.getTime() > Date.now()) return known;
      verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, await key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
      });
      const userId = Number(payload.sub);
      if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
      // Tokens from before sessions could end have no id: they cannot be revoked, so refused.
      if (typeof payload.jti !== 'string' || payload.exp === undefined) return undefined;
      const session = { userId, id: payload.jti, expiresAt: new Date(payload.exp * 1000) };
      if (verified.size >= VERIFIED_CACHE_SIZE) {
        const oldest = verified.keys().next();
        if (!oldest.done) verified.delete(oldest.value);
      }
      const entry = { session, checkedAt: Number.NEGATIVE_INFINITY };
      verified.set(token, entry);
      return entry;
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }

  return {
    async issue(userId) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await key);
      return { token, expiresAt };
    },
    async verify(token) {
      const entry = await signed(token);
      if (!entry) return undefined;
      const now = Date.now();
      if (now - entry.checkedAt < SESSION_RECHECK_MS) return entry.session;
      if (await revocations.isRevoked(entry.session.id)) return undefined;
      entry.checkedAt = now;
      return entry.session;
    },
    async revoke(token) {
      const entry = await signed(token);
      if (!entry) return;
      await revocations.revoke(entry.session);
      verified.delete(token);
    },
  };
}
