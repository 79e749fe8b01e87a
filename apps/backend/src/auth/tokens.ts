import { errors, jwtVerify, SignJWT } from 'jose';

export interface TokenService {
  issue(userId: number): Promise<{ token: string; expiresAt: Date }>;
  /** The user id the token was issued to, or undefined when it is invalid or expired. */
  verify(token: string): Promise<number | undefined>;
}

const ISSUER = 'todo-chatbot';

export function createTokenService(secret: Uint8Array, ttlSeconds: number): TokenService {
  return {
    async issue(userId) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(secret);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          algorithms: ['HS256'],
        });
        const id = Number(payload.sub);
        return Number.isSafeInteger(id) && id > 0 ? id : undefined;
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
