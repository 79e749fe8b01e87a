/**
 * Whether a release fits where it is going, decided before Helm runs: the pods the rendered
 * chart makes (replicas, the HPA's ceiling, one rolling-update surge, the migration Job, the
 * `helm test` pods), their requests and limits (LimitRange defaults applied), against the
 * namespace's ResourceQuotas and the nodes' allocatable. A pod stuck Pending on a quota or on
 * a node too small is otherwise seen only as Helm's timeout. Pure functions; the reads are in
 * release-fit.ts.
 */
import { formatCpu, formatMemory, parseCpu, parseMemory } from './quantity.ts';

export type Amount = { cpu: number; memory: number };

type ResourceList = Record<string, string | number>;
type Container = { name: string; resources?: { requests?: ResourceList; limits?: ResourceList } };
type PodSpec = { containers?: Container[]; initContainers?: Container[] };

export type RenderedObject = {
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: any kind's spec, read by kind below.
  spec?: any;
};

/**
 * Why a pod exists: the release's replicas, the extra replicas its HPA may add, the one extra
 * pod a rolling update starts before it stops an old one, a Helm hook Job, a `helm test` pod.
 */
export type Role = 'replica' | 'autoscale' | 'surge' | 'hook' | 'test';

export type PodDemand = {
  component: string;
  role: Role;
  count: number;
  requests: Amount;
  limits: Amount;
  /** Volume claims each pod comes with (a StatefulSet's templates), and their storage in bytes. */
  claims: { count: number; storage: number };
};

/** LimitRange defaults for containers that name no requests or limits. */
export type ContainerDefaults = { request: Partial<Amount>; limit: Partial<Amount> };

const NONE: ContainerDefaults = { request: {}, limit: {} };

const amountOf = (list: ResourceList | undefined, fallback: Partial<Amount>): Amount => ({
  cpu: list?.cpu !== undefined ? parseCpu(String(list.cpu)) : (fallback.cpu ?? 0),
  memory: list?.memory !== undefined ? parseMemory(String(list.memory)) : (fallback.memory ?? 0),
});

const add = (a: Amount, b: Amount): Amount => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });
const max = (a: Amount, b: Amount): Amount => ({
  cpu: Math.max(a.cpu, b.cpu),
  memory: Math.max(a.memory, b.memory),
});
const ZERO: Amount = { cpu: 0, memory: 0 };

/**
 * Pure: what one container reserves and may use, as the API server settles it: limits without
 * requests make the requests, then the LimitRange's defaults fill what is still unnamed.
 */
function containerAmounts(container: Container, defaults: ContainerDefaults) {
  const limits = amountOf(container.resources?.limits, defaults.limit);
  const named = container.resources?.limits ?? {};
  const requestDefaults = {
    cpu: named.cpu !== undefined ? limits.cpu : (defaults.request.cpu ?? defaults.limit.cpu),
    memory:
      named.memory !== undefined
        ? limits.memory
        : (defaults.request.memory ?? defaults.limit.memory),
  };
  return { requests: amountOf(container.resources?.requests, requestDefaults), limits };
}

/** Pure: a pod's effective requests and limits: its containers summed, or its largest init container. */
export function podAmounts(spec: PodSpec, defaults: ContainerDefaults = NONE) {
  const sum = (spec.containers ?? [])
    .map((c) => containerAmounts(c, defaults))
    .reduce(
      (a, b) => ({ requests: add(a.requests, b.requests), limits: add(a.limits, b.limits) }),
      {
        requests: ZERO,
        limits: ZERO,
      },
    );
  return (spec.initContainers ?? [])
    .map((c) => containerAmounts(c, defaults))
    .reduce(
      (a, b) => ({ requests: max(a.requests, b.requests), limits: max(a.limits, b.limits) }),
      sum,
    );
}

/** Pure: the Container defaults of the LimitRanges among the objects (the first one naming each). */
export function limitRangeDefaults(objects: RenderedObject[]): ContainerDefaults {
  const defaults: ContainerDefaults = { request: {}, limit: {} };
  for (const object of objects.filter((o) => o.kind === 'LimitRange')) {
    for (const limit of object.spec?.limits ?? []) {
      if (limit.type !== 'Container') continue;
      const request = amountOf(limit.defaultRequest, {});
      const ceiling = amountOf(limit.default, {});
      if (limit.defaultRequest?.cpu !== undefined) defaults.request.cpu ??= request.cpu;
      if (limit.defaultRequest?.memory !== undefined) defaults.request.memory ??= request.memory;
      if (limit.default?.cpu !== undefined) defaults.limit.cpu ??= ceiling.cpu;
      if (limit.default?.memory !== undefined) defaults.limit.memory ??= ceiling.memory;
    }
  }
  return defaults;
}

/** Pure: `maxSurge` of a RollingUpdate (a count, or a percentage rounded up) for `replicas`. */
export function surgeOf(
  strategy: { type?: string; rollingUpdate?: { maxSurge?: number | string } } | undefined,
  replicas: number,
): number {
  if (strategy?.type === 'Recreate') return 0;
  const surge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(surge);
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : Number(surge) || 0;
}

/** Pure: every pod the rendered release makes, grouped by component and role. */
export function podDemands(
  objects: RenderedObject[],
  defaults: ContainerDefaults = limitRangeDefaults(objects),
): PodDemand[] {
  const componentOf = (object: RenderedObject) =>
    object.metadata.labels?.['app.kubernetes.io/component'] ?? object.metadata.name;
  const autoscalerOf = (object: RenderedObject) =>
    objects.find(
      (o) =>
        o.kind === 'HorizontalPodAutoscaler' &&
        o.spec?.scaleTargetRef?.kind === object.kind &&
        o.spec?.scaleTargetRef?.name === object.metadata.name,
    );
  return objects.flatMap((object): PodDemand[] => {
    const templates: { spec?: { resources?: { requests?: ResourceList } } }[] =
      object.kind === 'StatefulSet' ? (object.spec?.volumeClaimTemplates ?? []) : [];
    const claims = {
      count: templates.length,
      storage: templates.reduce(
        (sum, t) => sum + parseMemory(String(t.spec?.resources?.requests?.storage ?? '0')),
        0,
      ),
    };
    const demand = (role: Role, count: number, spec: PodSpec): PodDemand[] =>
      count > 0
        ? [{ component: componentOf(object), role, count, ...podAmounts(spec, defaults), claims }]
        : [];
    const template = object.spec?.template?.spec as PodSpec | undefined;
    switch (object.kind) {
      case 'Deployment':
      case 'StatefulSet': {
        if (!template) return [];
        const hpa = autoscalerOf(object)?.spec;
        const replicas = hpa ? (hpa.minReplicas ?? 1) : (object.spec?.replicas ?? 1);
        const ceiling = hpa ? Math.max(hpa.maxReplicas ?? replicas, replicas) : replicas;
        // A StatefulSet replaces its pods one by one, stopping each first: no surge.
        const surge = object.kind === 'Deployment' ? surgeOf(object.spec?.strategy, ceiling) : 0;
        return [
          ...demand('replica', replicas, template),
          ...demand('autoscale', ceiling - replicas, template),
          ...demand('surge', surge, template),
        ];
      }
      case 'Job':
        return template ? demand('hook', object.spec?.parallelism ?? 1, template) : [];
      case 'Pod': {
        const hook = object.metadata.annotations?.['helm.sh/hook'] ?? '';
        return demand(/\btest\b/.test(hook) ? 'test' : 'replica', 1, object.spec ?? {});
      }
      default:
        return [];
    }
  });
}

/** What a ResourceQuota limits, as far as pods and their claims are concerned, and how to count it. */
const QUOTA_KEYS: Record<string, { of: (d: PodDemand) => number; show: (n: number) => string }> = {
  'requests.cpu': { of: (d) => d.requests.cpu, show: formatCpu },
  cpu: { of: (d) => d.requests.cpu, show: formatCpu },
  'requests.memory': { of: (d) => d.requests.memory, show: formatMemory },
  memory: { of: (d) => d.requests.memory, show: formatMemory },
  'limits.cpu': { of: (d) => d.limits.cpu, show: formatCpu },
  'limits.memory': { of: (d) => d.limits.memory, show: formatMemory },
  pods: { of: () => 1, show: String },
  'count/pods': { of: () => 1, show: String },
  persistentvolumeclaims: { of: (d) => d.claims.count, show: String },
  'requests.storage': { of: (d) => d.claims.storage, show: formatMemory },
};

const ROLE_WORDS: Record<Role, string> = {
  replica: '',
  autoscale: ' (HPA ceiling)',
  surge: ' (rollout surge)',
  hook: ' (hook)',
  test: ' (helm test)',
};

/** Pure: "backend 2 × 96Mi, backend (rollout surge) 96Mi, ..." for one resource; alike pods merged. */
function breakdown(
  demands: PodDemand[],
  of: (d: PodDemand) => number,
  show: (n: number) => string,
) {
  const merged = new Map<string, { label: string; count: number; each: number }>();
  for (const d of demands.filter((d) => of(d) > 0)) {
    const label = `${d.component}${ROLE_WORDS[d.role]}`;
    const key = `${label} ${of(d)}`;
    const entry = merged.get(key) ?? { label, count: 0, each: of(d) };
    entry.count += d.count;
    merged.set(key, entry);
  }
  return [...merged.values()]
    .map(({ label, count, each }) => `${label} ${count > 1 ? `${count} × ` : ''}${show(each)}`)
    .join(', ');
}

export type Quota = {
  name: string;
  hard: Record<string, string>;
  /** What the namespace uses now (a live quota's status); absent for the chart's own, not yet applied. */
  used?: Record<string, string>;
  /** Where a larger one comes from: the chart's values, or the namespace's owner. */
  fix: string;
};

/**
 * Pure: each quota key the pods counted exceed, with what asks for it and by how much.
 * `demands` are the pods that must fit into what `quota` has left.
 */
export function quotaShortfalls(demands: PodDemand[], quota: Quota, what: string): string[] {
  return Object.entries(quota.hard).flatMap(([key, hardText]) => {
    const counted = QUOTA_KEYS[key];
    if (!counted) return [];
    const parse =
      counted.show === formatMemory ? parseMemory : counted.show === formatCpu ? parseCpu : Number;
    const hard = parse(hardText);
    const used = quota.used?.[key] !== undefined ? parse(quota.used[key]) : 0;
    const need = demands.reduce((sum, d) => sum + counted.of(d) * d.count, 0);
    const room = hard - used;
    if (need <= room + 1e-9) return [];
    const roomText = quota.used
      ? `${counted.show(Math.max(room, 0))} of its ${counted.show(hard)} is free`
      : `it allows ${counted.show(hard)}`;
    return [
      `ResourceQuota ${quota.name}: ${what} needs ${key} ${counted.show(need)} (${breakdown(demands, counted.of, counted.show)}) and ${roomText}: short by ${counted.show(need - room)}; ${quota.fix}`,
    ];
  });
}

export type NodeRoom = { name: string; allocatable: Amount; requested: Amount };

/**
 * Pure: pods larger than every node, and (when the nodes' use is known) `demands` larger than
 * what all the nodes have left together, by how much.
 */
export function nodeShortfalls(demands: PodDemand[], nodes: NodeRoom[], what: string): string[] {
  if (!nodes.length) return [];
  const problems: string[] = [];
  const resources = [
    { key: 'cpu', unit: ' CPU', show: formatCpu },
    { key: 'memory', unit: ' memory', show: formatMemory },
  ] as const;
  for (const { key, unit, show } of resources) {
    const largest = Math.max(...nodes.map((node) => node.allocatable[key]));
    const seen = new Set<string>();
    for (const d of demands) {
      if (d.requests[key] <= largest || seen.has(d.component)) continue;
      seen.add(d.component);
      problems.push(
        `${d.component} pods request ${show(d.requests[key])}${unit} each and the largest node has ${show(largest)} allocatable: short by ${show(d.requests[key] - largest)}; lower ${d.component}.resources.requests.${key} in your values, or run a larger node`,
      );
    }
  }
  if (problems.length) return problems;
  for (const { key, unit, show } of resources) {
    const free = nodes.reduce(
      (sum, n) => sum + Math.max(n.allocatable[key] - n.requested[key], 0),
      0,
    );
    const need = demands.reduce((sum, d) => sum + d.requests[key] * d.count, 0);
    if (need <= free + 1e-9) continue;
    problems.push(
      `${what} needs ${show(need)}${unit} of requests (${breakdown(demands, (d) => d.requests[key], show)}) and the nodes have ${show(free)} free: short by ${show(need - free)}; free room on the cluster (\`kubectl describe node\` lists what is requested) or lower the components' requests in your values`,
    );
  }
  return problems;
}

/**
 * Pure: the pods a deploy adds beyond what runs: everything at a first install; the surge, the
 * hooks and the tests when the release is installed (its replicas already count in the
 * quota's `used` and the nodes' requests). The HPA's ceiling is the chart's own quota's
 * concern, not the deploy's.
 */
export function rolloutDemands(demands: PodDemand[], installed: boolean): PodDemand[] {
  return demands.filter((d) => d.role !== 'autoscale' && (!installed || d.role !== 'replica'));
}
