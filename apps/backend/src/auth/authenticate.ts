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

/** The user a request speaks for: a Bearer token wins over the session cookie. */
export async function userFromRequest(
  request: FastifyRequest,
  tokens: TokenService,
): Promise<number | undefined> {
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? request.cookies?.[SESSION_COOKIE];
  return token ? tokens.verify(token) : undefined;
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
