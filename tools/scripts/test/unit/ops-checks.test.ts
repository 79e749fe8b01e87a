import { describe, expect, it } from 'vitest';
import {
  evaluateHelm,
  evaluateKubectl,
  evaluateLock,
  evaluateNodeHealth,
  evaluateNodeResources,
  evaluateRelease,
  evaluateServer,
  exitCodeOf,
  formatCheck,
} from '../../lib/ops/checks.ts';
import { atLeast, compareVersions, parseVersion } from '../../lib/ops/versions.ts';
import { parseCpu, parseMemory } from '../../lib/quantity.ts';
import { standingOf } from '../../lib/release-standing.ts';

describe('versions', () => {
  it('reads the forms kubectl and distributions print', () => {
    expect(parseVersion('v1.33.9')).toEqual({ major: 1, minor: 33, patch: 9, text: 'v1.33.9' });
    expect(parseVersion('v1.30.4+k3s1')?.text).toBe('v1.30.4');
    expect(parseVersion('v1.29.2-gke.1521000')?.minor).toBe(29);
    expect(parseVersion('1.28')?.text).toBe('v1.28.0');
    expect(parseVersion('unknown')).toBeUndefined();
  });

  it('compares numerically, not as text', () => {
    const v = (text: string) => parseVersion(text) ?? expect.fail(text);
    expect(compareVersions(v('1.9.0'), v('1.10.0'))).toBeLessThan(0);
    expect(atLeast(v('v1.28.0'), '1.28.0')).toBe(true);
    expect(atLeast(v('v1.27.15'), '1.28.0')).toBe(false);
  });
});

const client = (gitVersion: string) => JSON.stringify({ clientVersion: { gitVersion } });
const both = (clientVersion: string, serverVersion: string) =>
  JSON.stringify({
    clientVersion: { gitVersion: clientVersion },
    serverVersion: { gitVersion: serverVersion },
  });

describe('tool checks', () => {
  it('accepts kubectl 1.28+ and fails older ones with the fix', () => {
    expect(evaluateKubectl(client('v1.33.9'))).toEqual({ level: 'ok', what: 'kubectl v1.33.9' });
    const old = evaluateKubectl(client('v1.27.3'));
    expect(old.level).toBe('fail');
    expect(formatCheck(old)).toMatch(
      /^fail kubectl v1\.27\.3 is older than v1\.28\.0 -> fix: install/,
    );
    expect(evaluateKubectl('{}').level).toBe('fail');
  });

  it('names the flag set each Helm major gets', () => {
    expect(evaluateHelm({ major: 4, minor: 1, text: 'v4.1.4' }).what).toContain('--wait=watcher');
    expect(evaluateHelm({ major: 3, minor: 14, text: 'v3.14.2' }).what).toContain('--atomic');
  });

  it('checks the server against the chart minimum and the kubectl skew', () => {
    expect(evaluateServer(both('v1.33.9', 'v1.33.1'), 'minikube')).toEqual({
      level: 'ok',
      what: 'cluster reachable (context minikube, Kubernetes v1.33.1)',
    });
    expect(evaluateServer(both('v1.33.9', 'v1.29.4'), 'old').level).toBe('fail');
    const skewed = evaluateServer(both('v1.28.0', 'v1.31.0'), 'kind-dev');
    expect(skewed.level).toBe('warn');
    expect(skewed.fix).toBe('install kubectl v1.31');
    expect(evaluateServer(client('v1.33.9'), 'x').level).toBe('warn');
  });
});

describe('node resources', () => {
  const nodes = (...allocatable: [string, string][]) => ({
    items: allocatable.map(([cpu, memory], index) => ({
      metadata: { name: `node-${index}` },
      status: { allocatable: { cpu, memory } },
    })),
  });

  it('reads Kubernetes quantities', () => {
    expect(parseCpu('2')).toBe(2);
    expect(parseCpu('1500m')).toBe(1.5);
    expect(parseMemory('4Gi')).toBe(4 * 1024 ** 3);
    expect(parseMemory('4025360Ki')).toBe(4025360 * 1024);
    expect(parseMemory('4000M')).toBe(4e9);
    expect(parseMemory('1073741824')).toBe(1024 ** 3);
    expect(parseMemory('lots')).toBeNaN();
  });

  it('accepts what a 2 CPU / 4096 MB minikube reports as allocatable', () => {
    // A kvm2 VM with --memory=4096: the kernel and the kubelet keep ~300 MiB.
    const check = evaluateNodeResources(nodes(['2', '3892456Ki']), 'resize');
    expect(check).toEqual({ level: 'ok', what: '1 node: 2 CPU, 3.7 GiB allocatable' });
  });

  it('sums the nodes and names what is short, with the fix', () => {
    expect(evaluateNodeResources(nodes(['1', '2Gi'], ['1', '2Gi']), 'resize').level).toBe('ok');
    const small = evaluateNodeResources(nodes(['1', '2Gi']), 'minikube delete');
    expect(small.level).toBe('fail');
    expect(formatCheck(small)).toBe(
      'fail 1 node: 1 CPU, 2.0 GiB allocatable; needs 2 CPUs and 4 GiB -> fix: minikube delete',
    );
    expect(evaluateNodeResources({ items: [] }, 'resize').what).toBe('the cluster has no nodes');
  });
});

describe('node health', () => {
  const node = (name: string, conditions: Record<string, string>, unschedulable?: boolean) => ({
    metadata: { name },
    spec: { unschedulable },
    status: {
      conditions: Object.entries(conditions).map(([type, status]) => ({
        type,
        status,
        ...(type === 'Ready' && status !== 'True'
          ? { message: 'Kubelet stopped posting node status.' }
          : {}),
      })),
    },
  });
  const healthy = {
    Ready: 'True',
    DiskPressure: 'False',
    MemoryPressure: 'False',
    PIDPressure: 'False',
  };

  it('is ok when every node is Ready, without pressure, and not cordoned', () => {
    expect(evaluateNodeHealth([node('a', healthy), node('b', healthy)]).level).toBe('ok');
  });

  it('names each node and condition that keeps pods out, with one fix per kind', () => {
    const check = evaluateNodeHealth([
      node('a', { ...healthy, DiskPressure: 'True' }),
      node('b', { ...healthy, Ready: 'Unknown', DiskPressure: 'True' }),
      node('c', healthy, true),
    ]);
    expect(check.level).toBe('fail');
    expect(check.what).toBe(
      'node a is short of disk space (the kubelet reports DiskPressure); node b is not Ready (Kubelet stopped posting node status.); node b is short of disk space (the kubelet reports DiskPressure); node c is cordoned',
    );
    expect(check.fix?.match(/free space on the node's disk/g)).toHaveLength(1);
    expect(check.fix).toContain('kubectl uncordon');
    expect(check.fix).toContain('kubectl describe node');
  });

  it('counts a node without a Ready condition as not ready', () => {
    expect(evaluateNodeHealth([node('new', {})]).what).toBe('node new is not Ready');
  });
});

describe('formatting', () => {
  it('prints the fix only for problems, and exits 1 only on a failure', () => {
    expect(formatCheck({ level: 'ok', what: 'fine', fix: 'unused' })).toBe('ok   fine');
    expect(formatCheck({ level: 'warn', what: 'meh', fix: 'do x' })).toBe('warn meh -> fix: do x');
    expect(
      exitCodeOf([
        { level: 'ok', what: 'a' },
        { level: 'warn', what: 'b' },
      ]),
    ).toBe(0);
    expect(exitCodeOf([{ level: 'fail', what: 'c' }])).toBe(1);
  });
});

describe('evaluateRelease', () => {
  const at = (revision: number, status: string) => ({ revision, status });
  it('passes a deployed release and one not installed yet', () => {
    expect(evaluateRelease(standingOf('todo-chatbot', []), 'ns').level).toBe('ok');
    const deployed = evaluateRelease(standingOf('todo-chatbot', [at(2, 'deployed')]), 'ns');
    expect(deployed).toEqual({
      level: 'ok',
      what: 'release todo-chatbot in namespace ns: the release is on revision 2, which keeps serving',
    });
  });

  it.each([
    [
      'warns about a failed last deploy, naming what still serves',
      'failed',
      'warn',
      'revision 3 is failed; the release is on revision 2',
    ],
    [
      'fails on a pending revision, which blocks every deploy, with the way out',
      'pending-upgrade',
      'fail',
      'has been pending-upgrade at revision 3; if none is running, `npx nx run infra:rollback` returns it to revision 2',
    ],
  ])('%s', (_name, status, level, text) => {
    const check = evaluateRelease(
      standingOf('todo-chatbot', [at(2, 'deployed'), at(3, status)]),
      'ns',
    );
    expect(check.level).toBe(level);
    expect(check.what.replace(/: another deploy.*interrupted/, '')).toContain(text);
    if (level === 'warn') expect(check.fix).toContain('infra:logs');
  });
});

describe('evaluateLock', () => {
  const holder = {
    identity: 'ci@runner (pid 9)',
    commit: 'commit abc1234',
    since: '2026-11-30T15:00:00.000000Z',
  };

  it('says nothing of a free lock, warns of a held one, and notes an expired one', () => {
    expect(evaluateLock({ kind: 'free' }, 'todo-chatbot')).toBeUndefined();
    expect(evaluateLock({ kind: 'held', holder }, 'todo-chatbot')).toEqual({
      level: 'warn',
      what: 'release todo-chatbot is locked by a deploy of commit abc1234 from ci@runner (pid 9) running since 2026-11-30T15:00:00.000000Z',
      fix: expect.stringContaining('DEPLOY_LOCK_WAIT_SECONDS'),
    });
    const expired = evaluateLock({ kind: 'expired', holder }, 'todo-chatbot');
    expect(expired?.level).toBe('ok');
    expect(expired?.what).toMatch(
      /interrupted deploy of commit abc1234 .* has expired; the next deploy takes it over/,
    );
  });
});
