import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on right now (just freed). There is a small window
 * between closing this socket and the caller binding the port; ephemeral ports are handed out
 * round-robin, so a clash is unlikely.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('could not determine a free port')),
      );
    });
  });
}
