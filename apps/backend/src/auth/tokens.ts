import { errors, jwtVerify, SignJWT } from 'jose';

export interface TokenService {
  issue(userId: number): Promise<{ token: string; expiresAt: Date }>;
  /** The user id the token was issued to, or undefined when it is invalid or expired. */
  verify(token: string): Promise<number | undefined>;
}

const ISSUER = 'todo-chatbot';

/** Verified tokens remembered at most; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000;

export function createTokenService(secret: Uint8Array, ttlSeconds: number): TokenService {
  // Imported once: given the raw bytes, jose imports a WebCrypto key on every call.
  const key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  // Clients send the same token with every request. Verifying it costs ~40 µs of CPU, so
  // the answer is kept until the token expires. Tokens are not revocable, so this changes
  // nothing about which requests are accepted.
  const verified = new Map<string, { userId: number; expiresAt: number }>();
  return {
    async issue(userId) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await key);
      return { token, expiresAt };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAt > Date.now() / 1000) return known.userId;
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, await key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
        });
        const id = Number(payload.sub);
        if (!Number.isSafeInteger(id) || id <= 0) return undefined;
        if (payload.exp !== undefined) {
          if (verified.size >= VERIFIED_CACHE_SIZE) {
            const oldest = verified.keys().next();
            if (!oldest.done) verified.delete(oldest.value);
          }
          verified.set(token, { userId: id, expiresAt: payload.exp });
        }
        return id;
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
