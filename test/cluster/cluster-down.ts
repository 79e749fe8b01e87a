/**
 * Stops the test cluster and removes its state: pods first (so kubelet tears their
 * networking down through CNI), then the components in reverse start order, leftover
 * containers, iptables chains, the pod bridge, mounts and the state folder. Component
 * logs are kept for debugging. Safe to run when nothing is running.
 *
 * Usage (as root): node test/cluster/cluster-down.ts, or npx nx run e2e:cluster-down
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { info, step } from '@todo/scripts/lib/log.ts';
import { poll } from '@todo/scripts/lib/poll.ts';
import {
  removeHostLeftovers,
  removeIpsets,
  removeIptablesChains,
  removeState,
} from './lib/cleanup.ts';
import { components } from './lib/components.ts';
import { paths, SCOPE } from './lib/config.ts';
import { ctr } from './lib/containerd.ts';
import { assertRoot, nodeIdentity } from './lib/host.ts';
import { kubectl } from './lib/kubectl.ts';
import { type Component, runningPid, stopComponent } from './lib/processes.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runningTasks(): Promise<string[]> {
  const listed = await ctr(['tasks', 'ls']).catch(() => undefined);
  return (listed?.stdout ?? '')
    .split('\n')
    .slice(1)
    .filter((line) => line.includes('RUNNING'))
    .map((line) => line.split(/\s+/)[0] ?? '');
}

/** Deletes every pod while kubelet still runs, so sandboxes are torn down cleanly. */
async function deletePods(all: Component[]): Promise<void> {
  const byName = (name: string) => all.find((component) => component.name === name) as Component;
  if (!runningPid(byName('kube-apiserver')) || !runningPid(byName('kubelet'))) return;
  // Without controllers nothing recreates the pods being deleted.
  for (const name of ['kube-controller-manager', 'kube-scheduler', 'hostpath-provisioner']) {
    await stopComponent(byName(name));
  }
  await kubectl([
    'delete',
    'pods',
    '--all',
    '--all-namespaces',
    '--grace-period=0',
    '--force',
    '--wait=false',
  ]);
  // Containers still running after that are killed next (removeContainers).
  await poll(async () => ((await runningTasks()).length ? undefined : true), {
    timeoutMs: 30_000,
    intervalMs: 500,
    timeoutMessage: () => 'containers still running',
  }).catch(() => undefined);
}

/** Kills containers still running (kubelet was gone, or too slow) and removes them. */
async function removeContainers(): Promise<void> {
  for (const id of await runningTasks())
    await ctr(['tasks', 'kill', '--signal', 'SIGKILL', id]).catch(() => undefined);
  await sleep(500);
  const listed = await ctr(['containers', 'ls', '--quiet']).catch(() => undefined);
  for (const id of (listed?.stdout ?? '').split('\n').filter(Boolean)) {
    await ctr(['tasks', 'delete', '--force', id]).catch(() => undefined);
    await ctr(['containers', 'delete', id]).catch(() => undefined);
  }
}

/**
 * containerd-shim processes outlive containerd by design; ours are the ones started
 * with the node's containerd socket as their -address.
 */
function orphanShims(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args[0]?.includes('containerd-shim') && args.includes(paths.containerdSocket);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function main(): Promise<void> {
  assertRoot();
  const all = components(await nodeIdentity());
  await step(SCOPE, 'delete pods', () => deletePods(all));
  await step(SCOPE, 'stop components', async () => {
    for (const component of [...all].reverse()) {
      if (component.name === 'containerd' && existsSync(paths.containerdSocket))
        await removeContainers();
      if (await stopComponent(component)) info(SCOPE, `stopped ${component.name}`);
    }
    for (const pid of orphanShims()) process.kill(pid, 'SIGKILL');
  });
  await step(SCOPE, 'remove iptables chains, bridge, mounts and state', async () => {
    await removeIptablesChains();
    await removeIpsets();
    await removeHostLeftovers();
    await removeState();
  });
  info(SCOPE, `cluster is down; component logs kept in ${paths.logs}`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(
      `[${SCOPE}] cluster-down failed: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
}
