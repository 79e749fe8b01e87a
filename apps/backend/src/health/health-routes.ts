import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';

export async function healthRoutes(app: FastifyInstance, opts: { database: Database }) {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await opts.database.ping();
    } catch {
      return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
    if (!(await opts.database.isMigrated())) {
      return reply.status(503).send({ status: 'unavailable', reason: 'migrations pending' });
    }
    return { status: 'ready' };
  });
}
