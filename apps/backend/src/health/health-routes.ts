import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';

/**
 * How long a readiness check that arrives during the start-up migrations waits for them: the
 * chart's waiting probe (readinessProbe: wait) connects as soon as the server listens, a few
 * milliseconds before they are done, and a 503 then would leave the pod unready for a whole
 * probe period. Below the probe's timeout, so it gets an answer either way.
 */
export const READINESS_WAIT_MS = 800;

export async function healthRoutes(
  app: FastifyInstance,
  opts: { database: Database; started?: Promise<unknown> },
) {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  let starting = Boolean(opts.started);
  opts.started?.then(
    () => {
      starting = false;
    },
    () => {},
  );
  const readiness = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (starting)
      await Promise.race([opts.started, sleep(READINESS_WAIT_MS, undefined, { ref: false })]);
    try {
      await opts.database.ping();
    } catch {
      return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
    if (!(await opts.database.isMigrated())) {
      return reply.status(503).send({ status: 'unavailable', reason: 'migrations pending' });
    }
    return { status: 'ready' };
  };
  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, readiness);
  // The same check under /api, where it is reachable through the frontend's proxy and an
  // Ingress that routes only /api to the backend: what a smoke test from outside can see.
  app.get('/api/readyz', { schema: { hide: true }, logLevel: 'warn' }, readiness);
}
