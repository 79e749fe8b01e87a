/**
 * A pod the scheduler cannot place never becomes ready, however long Helm waits: a node short
 * of disk or memory, requests larger than any node's free room, a selector no node matches.
 * The deploy watches the release's pods while Helm waits and stops as soon as one has been
 * unschedulable for a grace period, with the scheduler's reason and what to do about it,
 * instead of waiting out the whole timeout. `unschedulable` and `schedulingAdvice` are the pure
 * decisions; `watchScheduling` is the thin poll around them.
 */
import { type Kube, listByLabel } from './kube.ts';
import { poll } from './poll.ts';

export type ScheduledPod = {
  metadata: { name: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    conditions?: {
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }[];
  };
};

export type Unschedulable = {
  pod: string;
  /** The app (chart values block) the pod belongs to, when its labels say. */
  app: string | undefined;
  seconds: number;
  /** The scheduler's own words, e.g. "0/1 nodes are available: 1 Insufficient cpu." */
  message: string;
  advice: string;
};

/**
 * Node conditions that stop the scheduler, with the taint the node lifecycle controller sets
 * for each, and what a developer does about them: what the deploy says of a pod the taint
 * keeps out, and what `infra:doctor` says of the node.
 */
export const NODE_TROUBLES = [
  {
    condition: 'DiskPressure',
    taint: 'node.kubernetes.io/disk-pressure',
    what: 'is short of disk space (the kubelet reports DiskPressure)',
    fix: "free space on the node's disk (`docker system prune`, old images; `minikube ssh -- docker system prune` on Minikube), then deploy again",
  },
  {
    condition: 'MemoryPressure',
    taint: 'node.kubernetes.io/memory-pressure',
    what: 'is short of memory (the kubelet reports MemoryPressure)',
    fix: 'stop other workloads or give the cluster more memory, then deploy again',
  },
  {
    condition: 'PIDPressure',
    taint: 'node.kubernetes.io/pid-pressure',
    what: 'is out of process ids (the kubelet reports PIDPressure)',
    fix: 'stop other workloads on it, then deploy again',
  },
] as const;

const NOT_READY_FIX =
  'see `kubectl get nodes` and `kubectl describe node`; restart the cluster if it is down';
const CORDONED_FIX = '`kubectl uncordon <node>` once it is fit to run pods';

/** Causes the scheduler names, each with what a developer does about it. Order matters. */
const CAUSES: { test: RegExp; advice: (app: string) => string }[] = [
  ...NODE_TROUBLES.map(({ taint, what, fix }) => ({
    test: new RegExp(taint.replace(/[./]/g, '\\$&')),
    advice: () => `the node ${what}: ${fix}`,
  })),
  {
    test: /node\.kubernetes\.io\/(not-ready|unreachable|network-unavailable)/,
    advice: () => `no node is ready: ${NOT_READY_FIX}`,
  },
  {
    test: /node\.kubernetes\.io\/unschedulable|node\(s\) were unschedulable/,
    advice: () => `the nodes are cordoned: ${CORDONED_FIX}`,
  },
  {
    test: /Insufficient (cpu|memory|ephemeral-storage)/,
    advice: (app) =>
      `the pod requests more than any node has free: lower ${app}.resources.requests in your values, or free room on the cluster (\`kubectl describe node\` lists what is allocated)`,
  },
  {
    test: /node affinity|node selector|didn't match Pod's node/i,
    advice: (app) =>
      `no node carries the labels the pod asks for: check ${app}.nodeSelector and affinity in your values against \`kubectl get nodes --show-labels\``,
  },
  {
    test: /PersistentVolumeClaim|volume node affinity|storageclass/i,
    advice: () =>
      'its volume cannot be provided: check the StorageClass (`kubectl get storageclass`; the cluster needs a default one) and `kubectl get pvc`',
  },
  {
    test: /untolerated taint/,
    advice: () =>
      'every node carries a taint the pod does not tolerate: remove the taint (`kubectl taint nodes <node> <key>-`) or add a toleration in your values',
  },
];

export type NodeState = {
  metadata: { name: string };
  spec?: { unschedulable?: boolean };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
};

/**
 * Pure: why each node cannot take new pods (not Ready, a pressure condition, cordoned), with
 * the fix; empty when every node can.
 */
export function nodeTroubles(nodes: NodeState[]): { node: string; what: string; fix: string }[] {
  return nodes.flatMap((node) => {
    const name = node.metadata.name;
    const conditions = node.status?.conditions ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    const found: { node: string; what: string; fix: string }[] = [];
    if (ready?.status !== 'True') {
      const why = ready?.message ? ` (${ready.message})` : '';
      found.push({ node: name, what: `is not Ready${why}`, fix: NOT_READY_FIX });
    }
    for (const trouble of NODE_TROUBLES) {
      if (conditions.some((c) => c.type === trouble.condition && c.status === 'True'))
        found.push({ node: name, what: trouble.what, fix: trouble.fix });
    }
    if (node.spec?.unschedulable)
      found.push({ node: name, what: 'is cordoned', fix: CORDONED_FIX });
    return found;
  });
}

/** Pure: what to do about the scheduler's `message` for a pod of `app`. */
export function schedulingAdvice(message: string, app: string | undefined): string {
  const values = app ?? '<app>';
  const cause = CAUSES.find(({ test }) => test.test(message));
  return cause
    ? cause.advice(values)
    : "read the scheduler's reason above and `kubectl describe pod` for its events";
}

/**
 * Pure: the pod of `pods` unschedulable the longest, once that is at least `graceSeconds` at
 * `now`; undefined while every pod is placed or still within the grace (a node may be coming,
 * a rollout may be freeing room).
 */
export function unschedulable(
  pods: ScheduledPod[],
  now: number,
  graceSeconds: number,
): Unschedulable | undefined {
  const found = pods.flatMap((pod) => {
    if (pod.status?.phase !== 'Pending') return [];
    const condition = pod.status.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    );
    const since = Date.parse(condition?.lastTransitionTime ?? '');
    if (!condition || Number.isNaN(since)) return [];
    const seconds = Math.floor((now - since) / 1000);
    if (seconds < graceSeconds) return [];
    const app = pod.metadata.labels?.['app.kubernetes.io/component'];
    const message = (condition.message ?? 'no reason given').trim();
    return [
      { pod: pod.metadata.name, app, seconds, message, advice: schedulingAdvice(message, app) },
    ];
  });
  return found.sort((a, b) => b.seconds - a.seconds)[0];
}

/** Pure: the deploy's error line for it. */
export function unschedulableLine(found: Unschedulable): string {
  return `pod ${found.pod} could not be scheduled for ${found.seconds} s (${found.message.replace(/\.$/, '')}): ${found.advice}`;
}

/**
 * Resolves with the first pod of the release unschedulable for `graceSeconds`; polls until
 * `signal` aborts (the wait it guards ended), then resolves undefined. A failed poll (the API
 * server busy) is retried at the next tick: the watch only ever shortens a wait.
 */
export async function watchScheduling(
  kube: Kube,
  namespace: string,
  release: string,
  options: { graceSeconds: number; intervalMs?: number; signal: AbortSignal },
): Promise<Unschedulable | undefined> {
  const selector = `app.kubernetes.io/instance=${release}`;
  return poll(
    async () =>
      unschedulable(
        await listByLabel<ScheduledPod>(kube, 'pods', namespace, selector),
        Date.now(),
        options.graceSeconds,
      ),
    {
      timeoutMs: Number.POSITIVE_INFINITY,
      intervalMs: options.intervalMs ?? 3_000,
      signal: options.signal,
      timeoutMessage: () => 'never',
    },
  ).catch(() => undefined);
}
