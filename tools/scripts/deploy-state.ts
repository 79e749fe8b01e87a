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
 * Nx runs `sh deploy-state.sh <args> || node deploy-state.ts <args>`: the shell asks the
 * workspace's resident state server (lib/state-server.ts) without starting Node, and this
 * script is the fallback. It asks the server too (a machine without curl), else computes the
 * answer here and starts a server for the next input. DEPLOY_STATE_SERVER=off (or CI, or
 * NX_DAEMON=false) computes every input here.
 */
import { join, relative } from 'node:path';
import {
  askStateServer,
  STATE_SOCKET,
  startStateServer,
  stateServerWanted,
} from './lib/state-server.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

const args = process.argv.slice(2);
const wanted = stateServerWanted(process.env);
// Relative to the workspace root (Nx's working directory): short, as a socket path must be.
const socket = relative(process.cwd(), join(workspaceRoot, STATE_SOCKET));
let line = wanted ? await askStateServer(socket, args, process.env) : undefined;
if (line === undefined) {
  const { stateLine } = await import('./lib/deploy-state.ts');
  line = await stateLine(args[0], args[1]);
  if (wanted) startStateServer(join(import.meta.dirname, 'deploy-state-server.ts'), workspaceRoot);
}
console.log(line);
