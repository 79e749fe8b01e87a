/**
 * The deploy scenarios need the test cluster (Nx starts it: `e2e:cluster-up` is a dependency)
 * and the locally built Node base image the app images are built on. A node that cannot take
 * pods (short of disk on a shared VM, not Ready) would fail every scenario after minutes of
 * waiting each: the suite stops here instead, saying why.
 */

import { inspectImage } from '@todo/scripts/lib/docker.ts';
import { evaluateNodeHealth, formatCheck } from '@todo/scripts/lib/ops/checks.ts';
import type { NodeState } from '@todo/scripts/lib/scheduling.ts';
import { STAND_IN_NODE_IMAGE } from '@todo/scripts/stand-in-node-image.ts';
import { useKubeTools } from '@todo/test-support/kube-tools';
import { $ } from 'zx';
import { CONTEXT, paths } from '../../cluster/lib/config.ts';

async function assertNodesTakePods(): Promise<void> {
  const tools = await useKubeTools();
  const nodes = await $({
    quiet: true,
    env: { ...process.env, KUBECONFIG: paths.kubeconfig },
  })`${tools.kubectl} --context ${CONTEXT} get nodes -o json`;
  const check = evaluateNodeHealth((JSON.parse(nodes.stdout) as { items: NodeState[] }).items);
  if (check.level !== 'ok') {
    const disk = await $({ quiet: true, nothrow: true })`df -h ${paths.kubeletRoot}`;
    throw new Error(
      `the test cluster cannot run the scenarios: ${formatCheck(check)}\n${disk.stdout}`,
    );
  }
}

export default async function setup(): Promise<void> {
  await assertNodesTakePods();
  if (!(await inspectImage(STAND_IN_NODE_IMAGE))) {
    await $({
      stdio: 'inherit',
    })`node ${new URL('../../../tools/scripts/stand-in-node-image.ts', import.meta.url).pathname}`;
  }
}
