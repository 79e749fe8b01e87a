/**
 * Prints the state of the test cluster: each component's process and health, the node,
 * the kube context and where the logs are. Exits 1 when something is not running or not
 * healthy, so scripts can use it as a check.
 *
 * Usage: node test/cluster/cluster-status.ts, or npx nx run e2e:cluster-status
 */
import { existsSync } from 'node:fs';
import { info } from '@todo/scripts/lib/log.ts';
import { components } from './lib/components.ts';
import { CONTEXT, paths, SCOPE } from './lib/config.ts';
import { nodeIdentity } from './lib/host.ts';
import { kubectl } from './lib/kubectl.ts';
import { logFile, runningPid } from './lib/processes.ts';
import { deploymentAvailable, nodeReady, READY_CHECKS } from './lib/wait.ts';

async function main(): Promise<boolean> {
  const node = await nodeIdentity();
  let healthy = true;
  for (const component of components(node)) {
    const pid = runningPid(component);
    const check = READY_CHECKS[component.name];
    const ready = pid && check ? await check() : Boolean(pid);
    healthy &&= ready;
    const state = pid ? `pid ${pid}${check ? (ready ? ', ready' : ', NOT ready') : ''}` : 'stopped';
    info(SCOPE, `${component.name.padEnd(24)} ${state.padEnd(20)} ${logFile(component.name)}`);
  }
  if (!existsSync(paths.kubeconfig) || !healthy) {
    info(SCOPE, 'cluster is not (fully) up: npx nx run e2e:cluster-up');
    return false;
  }
  const ready = await nodeReady(node);
  const dns = await deploymentAvailable('kube-system', 'coredns');
  info(SCOPE, `node ${node.name} (${node.ip}): ${ready ? 'Ready' : 'NOT Ready'}`);
  info(SCOPE, `CoreDNS: ${dns ? 'available' : 'NOT available'}`);
  const pods = await kubectl(['get', 'pods', '--all-namespaces', '--no-headers']);
  info(SCOPE, `pods: ${pods.stdout.trim().split('\n').filter(Boolean).length}`);
  info(SCOPE, `context ${CONTEXT}: export KUBECONFIG=${paths.kubeconfig}`);
  return ready && dns;
}

if (import.meta.main) {
  try {
    process.exit((await main()) ? 0 : 1);
  } catch (error) {
    console.error(
      `[${SCOPE}] cluster-status failed: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
}
