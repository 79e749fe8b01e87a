/**
 * The resident state server of the Nx runtime inputs (see lib/state-server.ts), started by
 * deploy-state.ts: `node deploy-state-server.ts <socket> [idle-ms]`. Each connection asks one input's
 * arguments as a JSON line and gets the line the input would print. It exits after ten idle
 * minutes; a server of older code or another environment is never asked (its socket name
 * no longer matches) and idles out.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { stateLine } from './lib/deploy-state.ts';
import { IDLE_EXIT_MS } from './lib/state-server.ts';

const socket = process.argv[2] ?? '';
if (!socket) throw new Error('usage: deploy-state-server.ts <socket> [idle-ms]');
const idleMs = Number(process.argv[3]) || IDLE_EXIT_MS;

const server = createServer({ allowHalfOpen: true }, (connection) => {
  restartIdleTimer();
  let request = '';
  connection.setEncoding('utf8');
  connection.on('data', (chunk: string) => {
    request += chunk;
  });
  connection.on('end', async () => {
    let args: unknown;
    try {
      args = JSON.parse(request);
    } catch {
      args = undefined;
    }
    const [kind, app] = Array.isArray(args) ? args.map(String) : [];
    connection.end(`${await stateLine(kind, app)}\n`);
  });
  connection.on('error', () => connection.destroy());
});

let idle: NodeJS.Timeout | undefined;
function restartIdleTimer() {
  clearTimeout(idle);
  idle = setTimeout(stop, idleMs);
}

function stop() {
  server.close();
  if (existsSync(socket)) unlinkSync(socket);
  process.exit(0);
}

/** Another client may have started a server for the same socket at the same moment. */
function listen(retry: boolean) {
  server.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || !retry) process.exit(0);
    const probe = connect(socket);
    probe.on('connect', () => process.exit(0));
    probe.on('error', () => {
      // A socket file left by a server that died: take its place.
      unlinkSync(socket);
      listen(false);
    });
  });
  server.listen(socket, restartIdleTimer);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
listen(true);
