/**
 * Reads the test cluster's state for assertions, waits for pods to come and go, and prints
 * what a failing scenario needs: the namespace's pods, recent events and the app's logs. All
 * through the pipeline's own cluster layer (lib/kube.ts, release-standing.ts, diagnostics.ts),
 * so the tests read the cluster the way the deploy does.
 */

import { qualifiedImageName } from '@todo/scripts/lib/containerd-images.ts';
import { diagnosticsReport } from '@todo/scripts/lib/diagnostics.ts';
import { listByLabel } from '@todo/scripts/lib/kube.ts';
import { poll } from '@todo/scripts/lib/poll.ts';
import { fetchStanding } from '@todo/scripts/lib/release-standing.ts';
import { $ } from 'zx';
import { paths } from '../../cluster/lib/config.ts';
import { testCluster } from '../../cluster/lib/kubectl.ts';
import { RELEASE } from './deploy-env.ts';

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

const releasePods = `app.kubernetes.io/instance=${RELEASE}`;

/** Assertions' view of one namespace of the test cluster. */
export function namespaceView(namespace: string) {
  /** kubectl in the namespace; throws with kubectl's message on failure. */
  async function kubectl(args: string[]): Promise<string> {
    return (await testCluster()).run(['--namespace', namespace, ...args]);
  }

  /** The release's live pods (of one component), without finished Jobs and terminating pods. */
  async function pods(component?: string): Promise<Pod[]> {
    const selector = [releasePods];
    if (component) selector.push(`app.kubernetes.io/component=${component}`);
    const list = await listByLabel<Pod>(await testCluster(), 'pods', namespace, selector.join(','));
    // Pods on their way out (a finished rollout's old replicas) are not part of the release.
    return list.filter(
      (pod) => pod.status.phase !== 'Succeeded' && !pod.metadata.deletionTimestamp,
    );
  }

  /** Deletes a component's pods without waiting: its controller makes new ones. */
  async function deletePods(component: string): Promise<void> {
    await kubectl([
      'delete',
      'pods',
      '-l',
      `${releasePods},app.kubernetes.io/component=${component}`,
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

  /** The deployed Helm revision (0: none), read as the pipeline reads it. */
  async function deployedRevision(): Promise<number> {
    const standing = await fetchStanding(await testCluster(), namespace, RELEASE);
    return standing.serving?.revision ?? 0;
  }

  /**
   * Until Helm has written the pending-upgrade record of `revision` (an upgrade under way; the
   * history may keep older ones that an interruption left).
   */
  async function pendingUpgrade(revision: number): Promise<void> {
    const selector = `owner=helm,name=${RELEASE},status=pending-upgrade,version=${revision}`;
    const kube = await testCluster();
    await poll(
      async () => (await listByLabel(kube, 'secrets', namespace, selector)).length > 0 || undefined,
      {
        timeoutMs: 60_000,
        intervalMs: 100,
        timeoutMessage: () => 'helm upgrade never wrote a pending-upgrade record',
      },
    );
  }

  /** Pods, events and logs of the namespace: printed when a scenario fails. */
  async function clusterReport(): Promise<string> {
    return diagnosticsReport(await testCluster(), namespace, RELEASE, [], 'all');
  }

  /** Waits until a component has `count` Ready pods, none of them in `notUids`. */
  async function waitReady(component: string, count: number, notUids: string[] = [], ms = 180_000) {
    let seen = '';
    return poll(
      async () => {
        const list = await pods(component);
        const ready = list.filter(
          (pod) =>
            !notUids.includes(pod.metadata.uid) &&
            pod.status.containerStatuses?.every((container) => container.ready),
        );
        seen = `${ready.length}/${count} new pods Ready after ${ms / 1000} s (${list.length} live)`;
        return ready.length === count && list.length === count ? list : undefined;
      },
      { timeoutMs: ms, intervalMs: 1000, timeoutMessage: () => `${component}: ${seen}` },
    );
  }

  /** Waits until none of `uids` exists any more, terminating pods included; returns the wait in s. */
  async function waitGone(uids: string[], ms = 120_000): Promise<number> {
    const started = performance.now();
    const kube = await testCluster();
    let left = 0;
    await poll(
      async () => {
        const all = await listByLabel<Pod>(kube, 'pods', namespace, releasePods);
        left = all.filter((pod) => uids.includes(pod.metadata.uid)).length;
        return left === 0 || undefined;
      },
      {
        timeoutMs: ms,
        intervalMs: 1000,
        timeoutMessage: () => `${left} old pods still exist after ${ms / 1000} s`,
      },
    );
    return (performance.now() - started) / 1000;
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
