/**
 * Reads the test cluster's state for assertions, waits for pods to come and go, and prints
 * what a failing scenario needs: the namespace's pods, recent events and the app's logs.
 */

import { qualifiedImageName } from '@todo/scripts/lib/containerd-images.ts';
import { $ } from 'zx';
import { CONTEXT, paths } from '../../cluster/lib/config.ts';
import { RELEASE } from './deploy-env.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Pod = {
  metadata: {
    name: string;
    uid: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: { containers: { image: string }[] };
  status: {
    phase: string;
    containerStatuses?: {
      ready: boolean;
      image: string;
      restartCount: number;
      containerID?: string;
    }[];
  };
};

/** Assertions' view of one namespace of the test cluster. */
export function namespaceView(namespace: string) {
  const kube = (args: string[]) =>
    $({
      quiet: true,
      nothrow: true,
      env: { ...process.env, KUBECONFIG: paths.kubeconfig },
    })`kubectl --context ${CONTEXT} --namespace ${namespace} ${args}`;

  async function kubectl(args: string[]): Promise<string> {
    const result = await kube(args);
    if (result.exitCode !== 0)
      throw new Error(`kubectl ${args.join(' ')}: ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** The release's live pods (of one component), without finished Jobs and terminating pods. */
  async function pods(component?: string): Promise<Pod[]> {
    const selector = [`app.kubernetes.io/instance=${RELEASE}`];
    if (component) selector.push(`app.kubernetes.io/component=${component}`);
    const list = JSON.parse(await kubectl(['get', 'pods', '-l', selector.join(','), '-o', 'json']));
    // Pods on their way out (a finished rollout's old replicas) are not part of the release.
    return (list.items as Pod[]).filter(
      (pod) => pod.status.phase !== 'Succeeded' && !pod.metadata.deletionTimestamp,
    );
  }

  /** Deletes a component's pods without waiting: its controller makes new ones. */
  async function deletePods(component: string): Promise<void> {
    await kubectl([
      'delete',
      'pods',
      '-l',
      `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=${component}`,
      '--wait=false',
    ]);
  }

  /** UIDs of a component's running pods, to tell replaced pods from untouched ones. */
  async function podUids(component: string): Promise<string[]> {
    return (await pods(component)).map((pod) => pod.metadata.uid).sort();
  }

  /** How often a component's containers were restarted (an OOM kill is one), summed. */
  async function restarts(component: string): Promise<number> {
    return (await pods(component))
      .flatMap((pod) => pod.status.containerStatuses ?? [])
      .reduce((sum, container) => sum + container.restartCount, 0);
  }

  /** The deployed Helm revision, from Helm's own release records. */
  async function deployedRevision(): Promise<number> {
    const out = await kubectl([
      'get',
      'secrets',
      '-l',
      `owner=helm,name=${RELEASE},status=deployed`,
      '-o',
      'jsonpath={.items[*].metadata.labels.version}',
    ]);
    return Math.max(0, ...out.split(/\s+/).filter(Boolean).map(Number));
  }

  /**
   * Until Helm has written the pending-upgrade record of `revision` (an upgrade under way; the
   * history may keep older ones that an interruption left).
   */
  async function pendingUpgrade(revision: number): Promise<void> {
    const selector = `owner=helm,name=${RELEASE},status=pending-upgrade,version=${revision}`;
    for (let waited = 0; ; waited += 100) {
      if ((await kubectl(['get', 'secrets', '-l', selector, '-o', 'name'])).trim()) return;
      if (waited > 60_000) throw new Error('helm upgrade never wrote a pending-upgrade record');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Pods, events and logs of the namespace: printed when a scenario fails. */
  async function clusterReport(): Promise<string> {
    const parts = [
      ['pods', ['get', 'pods', '-o', 'wide']],
      ['events', ['get', 'events', '--sort-by=.lastTimestamp']],
      [
        'backend logs',
        [
          'logs',
          '-l',
          'app.kubernetes.io/component=backend',
          '--tail=40',
          '--all-containers',
          '--prefix',
        ],
      ],
      [
        'frontend logs',
        ['logs', '-l', 'app.kubernetes.io/component=frontend', '--tail=20', '--prefix'],
      ],
    ] as const;
    const sections: string[] = [];
    for (const [title, args] of parts) {
      const result = await kube([...args]);
      sections.push(
        `--- ${title} ---\n${(result.stdout || result.stderr).trim().split('\n').slice(-40).join('\n')}`,
      );
    }
    return sections.join('\n');
  }

  /** Waits until a component has `count` Ready pods, none of them in `notUids`. */
  async function waitReady(component: string, count: number, notUids: string[] = [], ms = 180_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const list = await pods(component);
      const ready = list.filter(
        (pod) =>
          !notUids.includes(pod.metadata.uid) &&
          pod.status.containerStatuses?.every((container) => container.ready),
      );
      if (ready.length === count && list.length === count) return list;
      if (Date.now() > deadline) {
        throw new Error(
          `${component}: ${ready.length}/${count} new pods Ready after ${ms / 1000} s (${list.length} live)`,
        );
      }
      await sleep(1000);
    }
  }

  /** Waits until none of `uids` exists any more, terminating pods included; returns the wait in s. */
  async function waitGone(uids: string[], ms = 120_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      const out = await kubectl([
        'get',
        'pods',
        '-l',
        `app.kubernetes.io/instance=${RELEASE}`,
        '-o',
        'jsonpath={.items[*].metadata.uid}',
      ]);
      const left = out.split(/\s+/).filter((uid) => uids.includes(uid));
      if (!left.length) return (performance.now() - started) / 1000;
      if (performance.now() - started > ms)
        throw new Error(`${left.length} old pods still exist after ${ms / 1000} s`);
      await sleep(1000);
    }
  }

  return {
    kubectl,
    pendingUpgrade,
    pods,
    podUids,
    restarts,
    deletePods,
    deployedRevision,
    clusterReport,
    waitReady,
    waitGone,
  };
}

export async function imageOnNode(ref: string): Promise<boolean> {
  const name = qualifiedImageName(ref);
  const result = await $({
    quiet: true,
    nothrow: true,
  })`ctr --address ${paths.containerdSocket} -n k8s.io images ls -q name==${name}`;
  return result.stdout.trim() === name;
}

export async function removeImageFromNode(ref: string): Promise<void> {
  await $({
    quiet: true,
  })`ctr --address ${paths.containerdSocket} -n k8s.io images rm ${qualifiedImageName(ref)}`;
}
