import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import type { TokenService } from './tokens.ts';

export const SESSION_COOKIE = 'session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set by the requireUser pre-handler. */
    userId: number;
  }
}

/** The token a request carries: a Bearer token wins over the session cookie. */
export function tokenFromRequest(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? request.cookies?.[SESSION_COOKIE];
}

/** The user a request speaks for, when its token is valid and its session not ended. */
export async function userFromRequest(
  request: FastifyRequest,
  tokens: TokenService,
): Promise<number | undefined> {
  const token = tokenFromRequest(request);
  if (!token) return undefined;
  try {
    return (await tokens.verify(token))?.userId;
  } catch (error) {
    // Whether the session was ended is in the database: without it, neither yes nor no.
    request.log.error({ err: error }, 'session check failed');
    throw new HttpError(
      503,
      'unavailable',
      'The database is unreachable right now; retry in a moment',
      null,
      { 'retry-after': '1' },
    );
  }
}

export function requireUser(tokens: TokenService) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const userId = await userFromRequest(request, tokens);
    if (userId === undefined) {
      throw new HttpError(
        401,
        'unauthorized',
        'Sign in first: send the session cookie or an Authorization: Bearer token',
      );
    }
    request.userId = userId;
  };
}
