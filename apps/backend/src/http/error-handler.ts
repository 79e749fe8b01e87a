import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AccountGone } from '../tasks/task-service.ts';
import { type ErrorBody, HttpError } from './errors.ts';

const CLIENT_ERRORS: Record<string, { status: number; error: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    error: 'invalid_json',
    message: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    error: 'invalid_json',
    message: "The request body is empty but the content-type is 'application/json'",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    message: 'The request body is larger than 1 MB',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    message: 'Send the request body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    error: 'bad_request',
    message: 'The content-length header does not match the body',
  },
};

/** Every error leaves as {error, message, details}; only 5xx are logged as errors, and never shown. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let status = 500;
    let body: ErrorBody = {
      error: 'internal_error',
      message: 'Something went wrong on our side; the request id identifies it in the logs',
      details: { requestId: request.id },
    };
    if (err instanceof HttpError) {
      status = err.statusCode;
      body = { error: err.code, message: err.message, details: err.details };
      reply.headers(err.headers);
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      body = {
        error: 'validation_error',
        message: `Invalid ${err.validationContext ?? 'request'}: ${err.validation
          .map((v) => `${fieldOf(v.instancePath, v.params)} ${v.message}`)
          .join('; ')}`,
        details: err.validation.map((v) => ({
          field: fieldOf(v.instancePath, v.params),
          in: err.validationContext,
          message: v.message,
        })),
      };
    } else if (err.code && CLIENT_ERRORS[err.code]) {
      const known = CLIENT_ERRORS[err.code];
      if (known) {
        status = known.status;
        body = { error: known.error, message: known.message, details: null };
      }
    } else if (isForeignKeyViolation(err) || err instanceof AccountGone) {
      // Sessions are stateless, so a token can outlive its account; the row it would own is gone.
      status = 401;
      body = {
        error: 'unauthorized',
        message: 'This account no longer exists; sign up or log in again',
        details: null,
      };
    } else if (err.statusCode === 429) {
      status = 429;
      body = { error: 'rate_limited', message: err.message, details: null };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      body = { error: 'bad_request', message: err.message, details: null };
    }
    if (status >= 500) request.log.error({ err }, 'request failed');
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not_found',
      message: `No route for ${request.method} ${request.url.split('?')[0]}`,
      details: null,
    } satisfies ErrorBody),
  );
}

const FRAMEWORK_ERRORS: Record<string, { error: string; message: string }> = {
  FST_ERR_BAD_URL: {
    error: 'bad_request',
    message: 'The URL is not valid (a malformed %-escape?)',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    error: 'uri_too_long',
    message: 'A path parameter is longer than 100 characters',
  },
};

/**
 * Fastify's router answers these before a route (and the error handler) is chosen; given to
 * Fastify as `frameworkErrors` so they leave in the API's shape like every other error.
 */
export function frameworkErrors(err: FastifyError, _request: unknown, reply: FastifyReply): void {
  const known = FRAMEWORK_ERRORS[err.code];
  const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
  void reply.status(status).send({
    error: known?.error ?? 'bad_request',
    message: known?.message ?? 'The request could not be routed',
    details: null,
  } satisfies ErrorBody);
}

/** PostgreSQL's foreign_key_violation, raised by the driver or wrapped by Drizzle. */
function isForeignKeyViolation(err: unknown): boolean {
  const codeOf = (e: unknown) =>
    e && typeof e === 'object' && 'code' in e ? (e as { code: unknown }).code : undefined;
  return codeOf(err) === '23503' || codeOf((err as { cause?: unknown }).cause) === '23503';
}

function fieldOf(instancePath: string, params: Record<string, unknown>) {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const keys = params.keys ?? params.unrecognizedKeys;
  if (Array.isArray(keys) && keys.length) return [path, keys.join(', ')].filter(Boolean).join('.');
  return path || '(body)';
}
