import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.ts';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * The path to the first string (or object key) holding U+0000, '' for the value itself, or
 * undefined when there is none.
 */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\0')) return at;
    const found = findNul(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a request carrying one would fail at the
 * database as a 500. Every route's body, query and path parameters are checked before
 * validation, so the class is answered 400 with the field named, wherever the text would go.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts = { body: request.body, querystring: request.query, params: request.params };
    for (const [where, value] of Object.entries(parts)) {
      const found = findNul(value);
      if (found === undefined) continue;
      const field = found || `(${where})`;
      throw new HttpError(400, 'validation_error', `Invalid ${where}: ${field} ${NUL_MESSAGE}`, [
        { field, in: where, message: NUL_MESSAGE },
      ]);
    }
  });
}
