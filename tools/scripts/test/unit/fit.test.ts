import { describe, expect, it } from 'vitest';
import {
  limitRangeDefaults,
  nodeShortfalls,
  type PodDemand,
  podAmounts,
  podDemands,
  quotaShortfalls,
  type RenderedObject,
  rolloutDemands,
  surgeOf,
} from '../../lib/fit.ts';
import { formatCpu, formatMemory } from '../../lib/quantity.ts';

const MI = 1024 ** 2;

const container = (
  name: string,
  requests?: Record<string, string>,
  limits?: Record<string, string>,
) => ({
  name,
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

const workload = (
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  containers = [container(name, { cpu: '50m', memory: '96Mi' }, { cpu: '1', memory: '384Mi' })],
): RenderedObject => ({
  kind,
  metadata: { name: `demo-${name}`, labels: { 'app.kubernetes.io/component': name } },
  spec: { ...spec, template: { spec: { containers } } },
});

describe('podAmounts', () => {
  it('sums the containers, and takes the largest init container when it is larger', () => {
    const amounts = podAmounts({
      initContainers: [container('init', { cpu: '500m', memory: '32Mi' })],
      containers: [
        container('a', { cpu: '100m', memory: '64Mi' }, { cpu: '1', memory: '128Mi' }),
        container('b', { cpu: '100m', memory: '64Mi' }, { cpu: '1', memory: '128Mi' }),
      ],
    });
    expect(amounts).toEqual({
      requests: { cpu: 0.5, memory: 128 * MI },
      limits: { cpu: 2, memory: 256 * MI },
    });
  });

  it('takes limits as requests when only limits are named, then the LimitRange defaults', () => {
    const defaults = {
      request: { cpu: 0.05, memory: 64 * MI },
      limit: { cpu: 0.5, memory: 256 * MI },
    };
    expect(podAmounts({ containers: [container('a', undefined, { cpu: '2' })] }, defaults)).toEqual(
      {
        requests: { cpu: 2, memory: 64 * MI },
        limits: { cpu: 2, memory: 256 * MI },
      },
    );
    expect(podAmounts({ containers: [{ name: 'bare' }] })).toEqual({
      requests: { cpu: 0, memory: 0 },
      limits: { cpu: 0, memory: 0 },
    });
  });
});

describe('limitRangeDefaults', () => {
  it("reads a Container LimitRange's default and defaultRequest", () => {
    const range: RenderedObject = {
      kind: 'LimitRange',
      metadata: { name: 'r' },
      spec: {
        limits: [
          { type: 'Pod', max: { cpu: '4' } },
          {
            type: 'Container',
            default: { cpu: '500m', memory: '256Mi' },
            defaultRequest: { cpu: '50m' },
          },
        ],
      },
    };
    expect(limitRangeDefaults([range])).toEqual({
      request: { cpu: 0.05 },
      limit: { cpu: 0.5, memory: 256 * MI },
    });
  });
});

describe('surgeOf', () => {
  it('reads a count, rounds a percentage up, and is 0 for Recreate', () => {
    expect(surgeOf({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, 3)).toBe(1);
    expect(surgeOf({ rollingUpdate: { maxSurge: '50%' } }, 3)).toBe(2);
    expect(surgeOf(undefined, 1)).toBe(1);
    expect(surgeOf(undefined, 8)).toBe(2);
    expect(surgeOf({ type: 'Recreate' }, 3)).toBe(0);
  });
});

describe('podDemands', () => {
  it('counts replicas, the HPA ceiling, one surge, hook Jobs and helm test pods', () => {
    const objects: RenderedObject[] = [
      workload('Deployment', 'backend', {
        replicas: 2,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      }),
      {
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'demo-backend' },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'demo-backend' },
          minReplicas: 2,
          maxReplicas: 5,
        },
      },
      workload('StatefulSet', 'postgresql', {
        replicas: 1,
        volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1Gi' } } } }],
      }),
      workload('Job', 'migrations', {}),
      {
        kind: 'Pod',
        metadata: {
          name: 'demo-test',
          labels: { 'app.kubernetes.io/component': 'test' },
          annotations: { 'helm.sh/hook': 'test' },
        },
        spec: { containers: [container('check', { cpu: '50m', memory: '64Mi' })] },
      },
      { kind: 'Service', metadata: { name: 'demo-backend' }, spec: {} },
    ];
    expect(podDemands(objects).map((d) => [d.component, d.role, d.count])).toEqual([
      ['backend', 'replica', 2],
      ['backend', 'autoscale', 3],
      ['backend', 'surge', 1],
      ['postgresql', 'replica', 1],
      ['migrations', 'hook', 1],
      ['test', 'test', 1],
    ]);
    const claims = podDemands(objects).map((d) => d.claims.count);
    expect(claims).toEqual([0, 0, 0, 1, 0, 0]);
    const quota = {
      name: 'q',
      hard: { persistentvolumeclaims: '0', 'requests.storage': '512Mi' },
      fix: 'more',
    };
    expect(quotaShortfalls(podDemands(objects), quota, 'the release')).toEqual([
      'ResourceQuota q: the release needs persistentvolumeclaims 1 (postgresql 1) and it allows 0: short by 1; more',
      'ResourceQuota q: the release needs requests.storage 1Gi (postgresql 1Gi) and it allows 512Mi: short by 512Mi; more',
    ]);
  });
});

const demand = (
  component: string,
  role: PodDemand['role'],
  count: number,
  cpu: number,
  memoryMi: number,
): PodDemand => ({
  component,
  role,
  count,
  requests: { cpu, memory: memoryMi * MI },
  limits: { cpu: cpu * 10, memory: memoryMi * 4 * MI },
  claims: { count: 0, storage: 0 },
});

const RELEASE: PodDemand[] = [
  demand('backend', 'replica', 2, 0.05, 96),
  demand('backend', 'surge', 1, 0.05, 96),
  demand('postgresql', 'replica', 1, 0.05, 128),
  demand('migrations', 'hook', 1, 0.05, 96),
];

describe('quotaShortfalls', () => {
  it('is empty when every counted key fits, and ignores keys pods do not use', () => {
    const hard = {
      'requests.memory': '1Gi',
      pods: '5',
      persistentvolumeclaims: '1',
      services: '1',
    };
    expect(quotaShortfalls(RELEASE, { name: 'q', hard, fix: 'fix it' }, 'the release')).toEqual([]);
  });

  it('names the key, what asks for it, what the quota allows and the shortfall', () => {
    const hard = { 'requests.memory': '400Mi', pods: '5' };
    expect(
      quotaShortfalls(RELEASE, { name: 'demo-quota', hard, fix: 'raise it' }, 'the release'),
    ).toEqual([
      'ResourceQuota demo-quota: the release needs requests.memory 512Mi (backend 2 × 96Mi, backend (rollout surge) 96Mi, postgresql 128Mi, migrations (hook) 96Mi) and it allows 400Mi: short by 112Mi; raise it',
    ]);
  });

  it("counts what a live quota's namespace already uses", () => {
    const quota = {
      name: 'team',
      hard: { pods: '10', 'limits.cpu': '4' },
      used: { pods: '9', 'limits.cpu': '3500m' },
      fix: 'ask',
    };
    const rollout = rolloutDemands(RELEASE, true);
    expect(quotaShortfalls(rollout, quota, 'the rollout')).toEqual([
      'ResourceQuota team: the rollout needs pods 2 (backend (rollout surge) 1, migrations (hook) 1) and 1 of its 10 is free: short by 1; ask',
      'ResourceQuota team: the rollout needs limits.cpu 1 (backend (rollout surge) 500m, migrations (hook) 500m) and 500m of its 4 is free: short by 500m; ask',
    ]);
  });
});

describe('rolloutDemands', () => {
  it('is everything but the HPA ceiling at a first install, and what a rollout adds after', () => {
    const all = [...RELEASE, demand('backend', 'autoscale', 3, 0.05, 96)];
    expect(rolloutDemands(all, false).map((d) => d.role)).toEqual([
      'replica',
      'surge',
      'replica',
      'hook',
    ]);
    expect(rolloutDemands(all, true).map((d) => d.role)).toEqual(['surge', 'hook']);
  });
});

describe('nodeShortfalls', () => {
  const node = (name: string, cpu: number, memoryMi: number, usedCpu = 0, usedMi = 0) => ({
    name,
    allocatable: { cpu, memory: memoryMi * MI },
    requested: { cpu: usedCpu, memory: usedMi * MI },
  });

  it('names a component whose pod is larger than every node, once, with the value to lower', () => {
    const big = [demand('backend', 'replica', 2, 64, 96), demand('backend', 'surge', 1, 64, 96)];
    expect(nodeShortfalls(big, [node('a', 2, 4096), node('b', 4, 4096)], 'the release')).toEqual([
      'backend pods request 64 CPU each and the largest node has 4 allocatable: short by 60; lower backend.resources.requests.cpu in your values, or run a larger node',
    ]);
  });

  it('compares the total with what the nodes have left', () => {
    const nodes = [node('a', 1, 1024, 0.9, 512), node('b', 1, 1024, 0.95, 0)];
    expect(nodeShortfalls(RELEASE, nodes, 'the release')).toEqual([
      "the release needs 250m CPU of requests (backend 2 × 50m, backend (rollout surge) 50m, postgresql 50m, migrations (hook) 50m) and the nodes have 150m free: short by 100m; free room on the cluster (`kubectl describe node` lists what is requested) or lower the components' requests in your values",
    ]);
    expect(nodeShortfalls(RELEASE, [node('a', 2, 4096)], 'the release')).toEqual([]);
    expect(nodeShortfalls(RELEASE, [], 'the release')).toEqual([]);
  });
});

describe('formatCpu and formatMemory', () => {
  it('write amounts the way the lines above read them', () => {
    expect([0.25, 1, 1.5, 128.3, 0].map(formatCpu)).toEqual(['250m', '1', '1.5', '128.3', '0m']);
    expect([96 * MI, 1536 * MI, 4.75 * 1024 * MI, 512].map(formatMemory)).toEqual([
      '96Mi',
      '1.5Gi',
      '4.75Gi',
      '512',
    ]);
  });
});
