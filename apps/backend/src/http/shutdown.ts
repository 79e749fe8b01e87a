/**
 * Shutting down without failing a request that arrives on a kept-alive connection.
 *
 * Closing a connection that looks idle races with a client that is sending on it right then:
 * the client sees a reset, and a proxy may not resend a POST. So the server never closes one
 * first. It advertises a short keep-alive (`Keep-Alive: timeout=5`, which HTTP clients such as
 * undici honour by closing idle connections a little before), and on SIGTERM it drains for
 * that long at most: it keeps serving, each answer ending its connection (`Connection: close`).
 * After the drain every earlier connection has been closed by its client, one way or the other,
 * and `app.close()` has nothing left to cut. With no connection open the drain ends at once.
 */

import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Set on SIGTERM: answers still go out, each with `Connection: close`. */
    draining: boolean;
  }
}

export async function drainAndClose(
  app: FastifyInstance,
  drainMs = KEEP_ALIVE_TIMEOUT_MS,
): Promise<void> {
  app.draining = true;
  const deadline = Date.now() + drainMs;
  while (Date.now() < deadline && (await openConnections(app.server)) > 0) await sleep(50);
  await app.close();
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((_error, count) => resolve(count ?? 0)));
}
