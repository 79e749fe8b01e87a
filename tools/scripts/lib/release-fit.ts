/**
 * Reads what lib/fit.ts decides on: the chart rendered with the deploy's own values (`helm
 * template`, no cluster access), the namespace's ResourceQuotas, the nodes' allocatable and
 * what the pods on them already request. A read the credentials do not allow (a team's
 * namespace-scoped CI account cannot list every pod) narrows the check instead of failing it.
 */
import { $ } from 'zx/core';
import {
  type NodeRoom,
  nodeShortfalls,
  podDemands,
  quotaShortfalls,
  type RenderedObject,
  rolloutDemands,
} from './fit.ts';
import { HelmError } from './helm.ts';
import { type Kube, listCollection } from './kube.ts';
import { parseCpu, parseMemory } from './quantity.ts';

type LiveQuota = {
  metadata: { name: string };
  spec?: { hard?: Record<string, string> };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
};
type LiveNode = {
  metadata: { name: string };
  spec?: { unschedulable?: boolean };
  status?: { allocatable?: Record<string, string> };
};
type LivePod = {
  spec: {
    nodeName?: string;
    containers: { resources?: { requests?: Record<string, string> } }[];
  };
};

const QUOTA = { apiVersion: 'v1', kind: 'ResourceQuota' };
const OWN_QUOTA_FIX = "raise namespaceQuota.hard in your values, or lower the components' requests";
const FOREIGN_QUOTA_FIX =
  "ask the namespace's owner for a larger quota, or lower the components' requests in your values";

export type FitReport = { problems: string[]; notes: string[] };

/** The chart as `helm template` renders it with `args` (release, chart, namespace, values). */
export async function renderChart(args: string[]): Promise<RenderedObject[]> {
  const rendered = await $({ quiet: true, nothrow: true })`helm template ${args}`;
  if (rendered.exitCode !== 0) {
    throw new HelmError(`helm template failed: ${rendered.stderr.trim().split('\n').pop()}`);
  }
  const { parseAllDocuments } = await import('yaml');
  return parseAllDocuments(rendered.stdout)
    .map((document) => document.toJS() as RenderedObject | null)
    .filter((object): object is RenderedObject => Boolean(object?.kind && object.metadata?.name));
}

/** A list straight from the API server where the client answers, through kubectl otherwise. */
async function list<T>(kube: Kube, path: string, args: string[]): Promise<T[]> {
  const direct = await kube.api?.get<{ items: T[] }>(path).catch(() => undefined);
  return (direct ?? (await kube.json<{ items: T[] }>(args))).items;
}

async function nodeRooms(kube: Kube): Promise<{ nodes: NodeRoom[]; usageKnown: boolean }> {
  const running = 'status.phase!=Succeeded,status.phase!=Failed';
  const [all, pods] = await Promise.all([
    list<LiveNode>(kube, '/api/v1/nodes', ['get', 'nodes']),
    list<LivePod>(kube, `/api/v1/pods?fieldSelector=${encodeURIComponent(running)}`, [
      'get',
      'pods',
      '--all-namespaces',
      '--field-selector',
      running,
    ]).catch(() => undefined),
  ]);
  const nodes = all.filter((node) => !node.spec?.unschedulable);
  const rooms = nodes.map((node) => {
    const requested = { cpu: 0, memory: 0 };
    for (const pod of pods ?? []) {
      if (pod.spec.nodeName !== node.metadata.name) continue;
      for (const container of pod.spec.containers) {
        requested.cpu += parseCpu(container.resources?.requests?.cpu ?? '0');
        requested.memory += parseMemory(container.resources?.requests?.memory ?? '0');
      }
    }
    return {
      name: node.metadata.name,
      allocatable: {
        cpu: parseCpu(node.status?.allocatable?.cpu ?? '0'),
        memory: parseMemory(node.status?.allocatable?.memory ?? '0'),
      },
      requested,
    };
  });
  return { nodes: rooms, usageKnown: pods !== undefined };
}

/**
 * Whether the rendered release fits its own quota (all of it: replicas, the HPA's ceiling, a
 * surge, the hooks and tests), what the namespace's live quotas have left, and the nodes.
 */
export async function checkReleaseFit(
  kube: Kube,
  objects: RenderedObject[],
  options: { namespace: string; installed: boolean },
): Promise<FitReport> {
  const demands = podDemands(objects);
  const rollout = rolloutDemands(demands, options.installed);
  const what = options.installed ? 'the rollout' : 'the release';
  const own = objects.filter((object) => object.kind === 'ResourceQuota');
  const [live, rooms] = await Promise.all([
    listCollection<LiveQuota>(kube, QUOTA, options.namespace, '').catch(() => [] as LiveQuota[]),
    nodeRooms(kube),
  ]);

  const problems: string[] = [];
  for (const quota of own) {
    const hard = (quota.spec?.hard ?? {}) as Record<string, string>;
    problems.push(
      ...quotaShortfalls(
        demands,
        { name: quota.metadata.name, hard, fix: OWN_QUOTA_FIX },
        'the release',
      ),
    );
  }
  for (const quota of live) {
    const mine = own.find((o) => o.metadata.name === quota.metadata.name);
    const hard =
      (mine?.spec?.hard as Record<string, string>) ?? quota.status?.hard ?? quota.spec?.hard ?? {};
    const used = quota.status?.used ?? {};
    const fix = mine ? OWN_QUOTA_FIX : FOREIGN_QUOTA_FIX;
    problems.push(
      ...quotaShortfalls(rollout, { name: quota.metadata.name, hard, used, fix }, what),
    );
  }
  const notes: string[] = [];
  if (rooms.usageKnown) {
    problems.push(...nodeShortfalls(rollout, rooms.nodes, what));
  } else {
    // Still catch a pod larger than any node, which needs no one else's pods.
    problems.push(
      ...nodeShortfalls(
        rollout,
        rooms.nodes.map((node) => ({ ...node, requested: { cpu: 0, memory: 0 } })),
        what,
      ).filter((line) => line.includes('the largest node')),
    );
    notes.push(
      "the nodes' free room is unknown (listing every pod is not allowed): checked each pod against the largest node only",
    );
  }
  return { problems, notes };
}
