import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';

export async function healthRoutes(app: FastifyInstance, opts: { database: Database }) {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  const readiness = async (_request: FastifyRequest, reply: FastifyReply) => {
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
