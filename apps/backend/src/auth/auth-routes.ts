import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.ts';
import { addressKey, isLoopback } from '../http/client-address.ts';
import { errorBodySchema } from '../http/error-responses.ts';
import { HttpError } from '../http/errors.ts';
import {
  credentials,
  type Session,
  sessionSchema,
  signUpBody,
  type User,
  userSchema,
} from './auth-schemas.ts';
import { requireUser, SESSION_COOKIE, tokenFromRequest } from './authenticate.ts';
import type { TokenService } from './tokens.ts';
import type { UserService } from './user-service.ts';

const BUSY = 'Too many sign-ups and logins at once: retry after the Retry-After seconds';

export interface AuthRoutesOptions {
  users: UserService;
  tokens: TokenService;
  auth: Config['auth'];
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, opts) => {
  const { users, tokens, auth } = opts;
  const fromLoopback = (request: FastifyRequest) => isLoopback(request.ip);

  // Counted on every attempt from an address, whichever email it tries: a password sprayed
  // over many accounts. Checked before the body is read.
  const loginsFromAddress = app.createRateLimit({
    max: auth.loginAddressRateLimit.max,
    timeWindow: auth.loginAddressRateLimit.windowMs,
    keyGenerator: (request) => `login-address|${addressKey(request.ip)}`,
    allowList: fromLoopback,
  });

  const startSession = async (reply: FastifyReply, user: User): Promise<Session> => {
    const { token, expiresAt } = await tokens.issue(user.id);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: auth.cookieSecure,
      path: '/',
      expires: expiresAt,
    });
    return { user, token, expiresAt: expiresAt.toISOString() };
  };

  app.post(
    '/signup',
    {
      config: {
        rateLimit: {
          max: auth.signupRateLimit.max,
          timeWindow: auth.signupRateLimit.windowMs,
          keyGenerator: (request) => `signup|${addressKey(request.ip)}`,
          allowList: fromLoopback,
          errorResponseBuilder: (_request, context) => ({
            statusCode: 429,
            message: `Too many sign-ups from this address; try again in ${context.after}`,
          }),
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Create an account and start a session',
        security: [],
        body: signUpBody,
        response: {
          201: sessionSchema,
          409: errorBodySchema.describe('An account with this email already exists'),
          429: errorBodySchema.describe(`${BUSY}; or too many sign-ups from this address`),
        },
      },
    },
    async (request, reply) => {
      const user = await users.signUp(request.body);
      if (!user) {
        throw new HttpError(
          409,
          'email_taken',
          'An account with this email already exists; log in instead',
          {
            field: 'email',
          },
        );
      }
      return reply.status(201).send(await startSession(reply, user));
    },
  );

  app.post(
    '/login',
    {
      config: {
        rateLimit: {
          max: auth.loginRateLimit.max,
          timeWindow: auth.loginRateLimit.windowMs,
          // Counted after body parsing, so that the key can include the email being tried.
          hook: 'preHandler',
          keyGenerator: (request) => {
            const body = request.body as { email?: unknown } | undefined;
            const who = typeof body?.email === 'string' ? body.email.toLowerCase() : '';
            return `${addressKey(request.ip)}|${who}`;
          },
          errorResponseBuilder: (_request, context) => ({
            statusCode: 429,
            message: `Too many login attempts; try again in ${context.after}`,
          }),
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in and start a session',
        security: [],
        body: credentials,
        response: {
          200: sessionSchema,
          401: errorBodySchema.describe('Wrong email or password'),
          429: errorBodySchema.describe(
            `${BUSY}; or too many attempts for this email, or from this address`,
          ),
        },
      },
      onRequest: async (request) => {
        const limit = await loginsFromAddress(request);
        if (limit.isAllowed || !limit.isExceeded) return;
        const seconds = Math.max(1, limit.ttlInSeconds);
        throw new HttpError(
          429,
          'rate_limited',
          `Too many login attempts from this address; try again in ${seconds} seconds`,
          null,
          { 'retry-after': String(seconds) },
        );
      },
    },
    async (request, reply) => {
      const user = await users.authenticate(request.body.email, request.body.password);
      if (!user) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password');
      return startSession(reply, user);
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session: its token is refused from now on, on every replica',
        security: [],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      // The token stops working everywhere, not only in this browser.
      const token = tokenFromRequest(request);
      if (token) await tokens.revoke(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      preHandler: requireUser(tokens),
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: userSchema } },
    },
    async (request) => {
      const user = await users.get(request.userId);
      if (!user) throw new HttpError(401, 'unauthorized', 'This account no longer exists');
      return user;
    },
  );

  app.delete(
    '/me',
    {
      preHandler: requireUser(tokens),
      schema: {
        tags: ['auth'],
        summary: 'Delete the account and all its data',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await users.remove(request.userId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
};
