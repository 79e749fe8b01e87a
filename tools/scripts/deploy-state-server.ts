/**
 * The resident state server of the Nx runtime inputs (see lib/state-server.ts), started by
 * deploy-state.ts in the workspace root: `node deploy-state-server.ts [idle-ms] [--owner <pid>]`.
 * It listens on the workspace's STATE_SOCKET; each question is `POST /state/<kind>/<app>` with
 * the client's environment as `env` prints it, and the answer is the line the input would
 * print (409 when the client must compute it itself). `POST /summary` answers the deploy
 * summary of the client's run, the `deploy` target's output. It exits after ten idle minutes, when
 * its owner (the Nx process of a CI-mode run) exits, and at once when a client runs other
 * code, another environment or another run.
 */
import { chmodSync, existsSync, mkdirSync, realpathSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { preload, sharedCache, stateLine } from './lib/deploy-state.ts';
import { deploySummary } from './lib/report.ts';
import {
  codeDigest,
  IDLE_EXIT_MS,
  parseEnvListing,
  processRuns,
  questionArgs,
  STATE_SOCKET,
  serverVerdict,
  stateOwner,
  summaryVerdict,
} from './lib/state-server.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

const { values, positionals } = parseArgs({
  options: { owner: { type: 'string' } },
  allowPositionals: true,
});
const idleMs = Number(positionals[0]) || IDLE_EXIT_MS;
const owner = stateOwner({ DEPLOY_STATE_OWNER: values.owner });
const code = () => codeDigest(import.meta.dirname, workspaceRoot);
const codeAtStart = code();
const realPath = (path: string | undefined) => {
  try {
    return path && realpathSync(path);
  } catch {
    return undefined;
  }
};
const root = realpathSync(process.cwd());

const server = createServer(async (question, reply) => {
  restartIdleTimer();
  let listing = '';
  question.setEncoding('utf8');
  for await (const chunk of question) listing += chunk;
  const client: NodeJS.ProcessEnv = parseEnvListing(listing);
  client.PWD = realPath(client.PWD);
  const codes = { now: code(), atStart: codeAtStart };
  if (question.url === '/summary') {
    if (summaryVerdict(client, { root }, codes) !== 'answer') {
      reply.writeHead(409).end('refuse\n');
      return;
    }
    try {
      const text = await deploySummary(client.NX_INVOCATION_ROOT_PID as string);
      reply.writeHead(200, { 'content-type': 'text/plain' }).end(text);
    } catch {
      // The client's own process prints the error the way the script does.
      reply.writeHead(500).end();
    }
    return;
  }
  const verdict = serverVerdict(client, { env: process.env, owner, root }, codes);
  if (verdict !== 'answer') {
    reply.writeHead(409).end(`${verdict}\n`);
    if (verdict === 'retire') stop();
    return;
  }
  const [kind, app] = questionArgs(question.url ?? '');
  reply
    .writeHead(200, { 'content-type': 'text/plain' })
    .end(`${await stateLine(kind, app, sharedCache(client))}\n`);
});

let idle: NodeJS.Timeout | undefined;
function restartIdleTimer() {
  clearTimeout(idle);
  idle = setTimeout(stop, idleMs);
}

/** Stops taking questions at once; the answer being written still goes out. */
function stop() {
  server.close();
  try {
    if (existsSync(STATE_SOCKET)) unlinkSync(STATE_SOCKET);
  } catch {
    // The workspace went away (a scratch copy deleted): nothing left to clean.
  }
  setTimeout(() => process.exit(0), 100).unref();
}

/** A run-scoped server ends with its run: it checks that the Nx process still runs. */
function watchOwner(pid: number) {
  setInterval(() => {
    if (!processRuns(pid)) stop();
  }, 250).unref();
}

/** Another client may have started a server for the same socket at the same moment. */
function listen(retry: boolean) {
  server.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || !retry) process.exit(0);
    const probe = connect(STATE_SOCKET);
    probe.on('connect', () => process.exit(0));
    probe.on('error', () => {
      // A socket file left by a server that died: take its place.
      unlinkSync(STATE_SOCKET);
      listen(false);
    });
  });
  server.listen(STATE_SOCKET, () => {
    chmodSync(STATE_SOCKET, 0o600);
    restartIdleTimer();
    void preload();
  });
}

mkdirSync(dirname(STATE_SOCKET), { recursive: true });
if (owner) watchOwner(owner);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
listen(true);
