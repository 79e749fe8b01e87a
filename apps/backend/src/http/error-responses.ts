import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** The one shape of every error answer, as the OpenAPI description shows it. */
export const errorBodySchema = z.object({
  error: z.string().describe('A stable code, e.g. validation_error, not_found, rate_limited'),
  message: z.string().describe('What went wrong and what to do, for people'),
  details: z.unknown().describe('Per-field problems or other specifics; null when none'),
});

const described = (description: string) => errorBodySchema.describe(description);

type RouteSchema = {
  hide?: boolean;
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
  security?: unknown[];
  response?: Record<string | number, unknown>;
};

/**
 * Documents the error answers of every route from what it declares, so the OpenAPI description
 * lists them without each route repeating them (a route's own entry for a status wins):
 * validation for routes with input, 401 unless the route is public (`security: []`), 404 for
 * routes addressing a resource (and 414 for an over-long address), 413 and 415 for routes with a body, 429 for rate-limited
 * ones, and the 500 and 503 (starting or shutting down) any route can give.
 */
export function registerErrorResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as RouteSchema | undefined;
    if (!schema || schema.hide) return;
    const response = { ...schema.response };
    const add = (status: number, description: string) => {
      response[status] ??= described(description);
    };
    if (schema.body || schema.querystring || schema.params) {
      add(400, 'The request is invalid: `details` names each field and what it expects');
    }
    if (!(Array.isArray(schema.security) && schema.security.length === 0)) {
      add(401, 'No valid session: send the token as `Authorization: Bearer` or the cookie');
    }
    if (schema.params) {
      add(404, 'No such resource (or it belongs to another account)');
      add(414, 'A path parameter is longer than 100 characters');
    }
    if (schema.body) {
      add(413, 'The body is larger than 1 MB');
      add(415, 'The body is not JSON');
    }
    const config = route.config as { rateLimit?: unknown } | undefined;
    if (config?.rateLimit) add(429, 'Too many attempts: retry after the Retry-After seconds');
    add(500, 'A failure on the server: `details.requestId` identifies it in the logs');
    add(503, 'Starting up or shutting down: retry after the Retry-After seconds');
    route.schema = { ...schema, response } as typeof route.schema;
  });
}
