/**
 * Nx runtime inputs of the deploy steps: prints the outside state a cached step depends on, so
 * that Nx replays a step only while that state is exactly what the step left behind.
 *
 *   deploy-state.ts docker <app> -> docker-build:  the daemon has the image of the current build
 *   deploy-state.ts image <app>  -> minikube-load: the image is on the node of this cluster
 *   deploy-state.ts release      -> helm-deploy:   the cluster runs a healthy release of these inputs
 *
 * A state that is not the good one ends in a random nonce, so the step runs and reports the
 * real reason itself: this is what keeps an Nx cache hit from leaving the cluster stale.
 *
 * The answer comes from the resident state server of this workspace, code and environment
 * when one runs (lib/state-server.ts); otherwise it is computed here, and a server is started
 * for the next input. DEPLOY_STATE_SERVER=off (or CI, or NX_DAEMON=false) computes every
 * input here.
 */
import { join } from 'node:path';
import { askStateServer, startStateServer, stateServerSocket } from './lib/state-server.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

const args = process.argv.slice(2);
const socket = stateServerSocket(process.env, workspaceRoot, import.meta.dirname);
let line = socket && (await askStateServer(socket, args));
if (line === undefined || line === '') {
  const { stateLine } = await import('./lib/deploy-state.ts');
  line = await stateLine(args[0], args[1]);
  if (socket)
    startStateServer(join(import.meta.dirname, 'deploy-state-server.ts'), socket, workspaceRoot);
}
console.log(line);
