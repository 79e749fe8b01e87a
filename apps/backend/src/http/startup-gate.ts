import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './errors.ts';

/** The probes answer from the first moment: /readyz itself says what the server waits for. */
const PROBES = new Set(['/healthz', '/readyz', '/api/readyz']);

/**
 * Until `started` settles, every route but the probes answers 503 with Retry-After. The server
 * listens before its start-up migrations, so that a probe sees a live process at once (no
 * startup probe has to hold Kubernetes' liveness check off, and readiness is seen on the first
 * probe after the migrations); no request may reach tables that are not there yet.
 */
export function registerStartupGate(app: FastifyInstance, started: Promise<unknown>): void {
  let open = false;
  started.then(
    () => {
      open = true;
    },
    () => {},
  );
  app.addHook('onRequest', async (request, reply) => {
    if (open || PROBES.has(request.routeOptions.url ?? '')) return;
    return reply
      .code(503)
      .header('retry-after', '1')
      .send({
        error: 'starting',
        message: 'The server is applying its database migrations; retry in a moment.',
        details: null,
      } satisfies ErrorBody);
  });
}
