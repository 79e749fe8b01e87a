/**
 * Nx runtime inputs of the deploy steps: prints the outside state a cached step depends on, so
 * that Nx replays a step only while that state is exactly what the step left behind.
 *
 *   deploy-state.ts docker <app> -> docker-build:  the daemon has the image of the current build
 *   deploy-state.ts image <app>  -> minikube-load: the image is on the node of this cluster
 *   deploy-state.ts release      -> helm-deploy:   the cluster runs a healthy release of these inputs
 *
 * When the state is not the good one (image missing, release stale, cluster unreachable), the
 * line ends in a random nonce: that hash has never been seen, so the step runs and reports
 * the real reason itself. This is what keeps an Nx cache hit from leaving the cluster stale.
 */
import { randomUUID } from 'node:crypto';
import { state } from './lib/deploy-state.ts';

const line = await state(process.argv[2], process.argv[3]).catch(
  (error: Error) => `unknown (${error.message.split('\n')[0]})`,
);
const good = /^(present|current) /.test(line);
console.log(good ? line : `${line} ${randomUUID()}`);
