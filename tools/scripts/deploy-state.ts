/**
 * Nx runtime inputs of the deploy steps: prints the outside state a cached step depends on, so
 * that Nx replays a step only while that state is exactly what the step left behind.
 *
 *   deploy-state.ts docker <app> -> docker-build:  the daemon has the image of the current build
 *   deploy-state.ts image <app>  -> minikube-load: the image is in the cluster's registry or node
 *   deploy-state.ts release      -> helm-deploy:   the cluster runs a healthy release of these inputs
 *
 * A state that is not the good one ends in a random nonce, so the step runs and reports the
 * real reason itself: this is what keeps an Nx cache hit from leaving the cluster stale. A
 * subject this workspace meets for the first time is answered without a check, which no cache
 * entry can match (lib/runtime-ledger.ts), so the run after a change replays every step.
 *
 * Nx runs `DEPLOY_STATE_OWNER=$PPID sh deploy-state.sh <args>`: the shell asks the workspace's
 * state server (lib/state-server.ts) without starting Node, and runs this script when no server
 * answers. It asks the server too (a machine without curl), else computes the answer here and
 * starts a server for the next input: resident outside CI, or one that serves only this Nx
 * run and exits with it (CI, NX_DAEMON=false). DEPLOY_STATE_SERVER=off computes every input
 * here.
 */
import { join, relative } from 'node:path';
import { poll } from './lib/poll.ts';
import {
  askStateServer,
  STATE_SOCKET,
  startStateServer,
  stateOwner,
  stateServerMode,
} from './lib/state-server.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

/** How long an input waits for the server it started before computing its answer itself. */
const SERVER_BOOT_MS = 2_000;

const args = process.argv.slice(2);
const mode = stateServerMode(process.env);
// Relative to the workspace root (Nx's working directory): short, as a socket path must be.
const socket = relative(process.cwd(), join(workspaceRoot, STATE_SOCKET));
const ask = () => askStateServer(socket, args, process.env, workspaceRoot);
let line = mode === 'off' ? undefined : await ask();
if (line === undefined && mode !== 'off') {
  // No server answers: start one and ask it once it listens. Booting one process is cheaper
  // than the inputs of a level (two apps at once) each loading the pipeline's modules beside it.
  const owner = mode === 'run' ? stateOwner(process.env) : undefined;
  const script = join(import.meta.dirname, 'deploy-state-server.ts');
  const server = startStateServer(script, workspaceRoot, owner);
  // Until it answers, or exits (it lost the socket to another server, which is asked once
  // more, or could not listen at all).
  line =
    (await poll(ask, {
      timeoutMs: SERVER_BOOT_MS,
      intervalMs: 20,
      stopped: () => (server.exitCode === null ? undefined : 'exited'),
      timeoutMessage: () => 'no answer',
    }).catch(() => undefined)) ?? (await ask());
}
if (line === undefined) {
  const { stateLine } = await import('./lib/deploy-state.ts');
  line = await stateLine(args[0], args[1]);
}
console.log(line);
