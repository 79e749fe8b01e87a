/**
 * The doctor's verdicts, as pure functions of what the tools printed: one Check per question,
 * each a single line, with the fix for anything that is not ok.
 */
import { holderLine, LEASE_SECONDS, type LeaseState } from '../deploy-lock.ts';
import type { HelmVersion } from '../helm.ts';
import { parseCpu, parseMemory } from '../quantity.ts';
import { type Standing, standingLine, stuckRevision } from '../release-standing.ts';
import { type NodeState, nodeTroubles } from '../scheduling.ts';
import { atLeast, parseVersion } from './versions.ts';

export type Level = 'ok' | 'warn' | 'fail';
export type Check = { level: Level; what: string; fix?: string };

export const MIN_KUBECTL = '1.28.0';
/** The chart's `kubeVersion` (native preStop sleep). */
export const MIN_SERVER = '1.30.0';
export const MIN_CPUS = 2;
export const MIN_MEMORY_GIB = 4;
/**
 * A node started with 4096 MB reports less as allocatable (the kernel and the kubelet's
 * eviction threshold take their share), so "4 GiB" is checked with this much slack.
 */
const MEMORY_SLACK = 0.9;

const GIB = 1024 ** 3;

export function formatCheck(check: Check): string {
  const line = `${check.level.padEnd(4)} ${check.what}`;
  return check.fix && check.level !== 'ok' ? `${line} -> fix: ${check.fix}` : line;
}

export function exitCodeOf(checks: Check[]): number {
  return checks.some((check) => check.level === 'fail') ? 1 : 0;
}

/** From `kubectl version --client -o json`. */
export function evaluateKubectl(clientJson: string): Check {
  const text = (JSON.parse(clientJson) as { clientVersion?: { gitVersion?: string } }).clientVersion
    ?.gitVersion;
  const version = text ? parseVersion(text) : undefined;
  const fix = 'install kubectl 1.28+ (https://kubernetes.io/docs/tasks/tools/)';
  if (!version) return { level: 'fail', what: 'kubectl: cannot read its version', fix };
  if (!atLeast(version, MIN_KUBECTL)) {
    return { level: 'fail', what: `kubectl ${version.text} is older than v${MIN_KUBECTL}`, fix };
  }
  return { level: 'ok', what: `kubectl ${version.text}` };
}

/** From the version lib/helm.ts read (it already rejects anything older than 3.13). */
export function evaluateHelm(version: HelmVersion): Check {
  const flags =
    version.major >= 4
      ? 'Helm 4 flags: --wait=watcher, --rollback-on-failure'
      : 'Helm 3 flags: --wait, --atomic';
  return { level: 'ok', what: `helm ${version.text} (${flags})` };
}

/** From `kubectl version -o json` against the cluster: the chart's minimum and the client skew. */
export function evaluateServer(versionJson: string, context: string): Check {
  const parsed = JSON.parse(versionJson) as {
    clientVersion?: { gitVersion?: string };
    serverVersion?: { gitVersion?: string };
  };
  const server = parseVersion(parsed.serverVersion?.gitVersion ?? '');
  const client = parseVersion(parsed.clientVersion?.gitVersion ?? '');
  if (!server) {
    return {
      level: 'warn',
      what: `cluster of ${context}: server version unknown`,
      fix: 'check `kubectl version`',
    };
  }
  const what = `cluster reachable (context ${context}, Kubernetes ${server.text})`;
  if (!atLeast(server, MIN_SERVER)) {
    return {
      level: 'fail',
      what: `${what}: the chart needs v${MIN_SERVER}+`,
      fix: 'use a newer cluster (`minikube start --kubernetes-version=stable`)',
    };
  }
  // kubectl supports one minor version of skew either way.
  if (client && client.major === server.major && Math.abs(client.minor - server.minor) > 1) {
    return {
      level: 'warn',
      what: `${what}, but kubectl ${client.text} is more than one minor version away`,
      fix: `install kubectl v${server.major}.${server.minor}`,
    };
  }
  return { level: 'ok', what };
}

export type NodeList = {
  items: (NodeState & { status?: { allocatable?: Record<string, string> } })[];
};

/** From `kubectl get nodes -o json`: allocatable CPU and memory summed over the nodes. */
export function evaluateNodeResources(nodes: NodeList, resizeFix: string): Check {
  let cpus = 0;
  let memory = 0;
  for (const node of nodes.items) {
    cpus += parseCpu(node.status?.allocatable?.cpu ?? '0');
    memory += parseMemory(node.status?.allocatable?.memory ?? '0');
  }
  const count = nodes.items.length;
  const what = `${count} node${count === 1 ? '' : 's'}: ${cpus} CPU, ${(memory / GIB).toFixed(1)} GiB allocatable`;
  const short: string[] = [];
  if (cpus < MIN_CPUS) short.push(`${MIN_CPUS} CPUs`);
  if (!(memory >= MIN_MEMORY_GIB * GIB * MEMORY_SLACK)) short.push(`${MIN_MEMORY_GIB} GiB`);
  if (count === 0) return { level: 'fail', what: 'the cluster has no nodes', fix: resizeFix };
  if (short.length) {
    return { level: 'fail', what: `${what}; needs ${short.join(' and ')}`, fix: resizeFix };
  }
  return { level: 'ok', what };
}

/** From `kubectl get nodes -o json`: whether every node takes new pods, and the fix if not. */
export function evaluateNodeHealth(nodes: NodeState[]): Check {
  const troubles = nodeTroubles(nodes);
  if (!troubles.length) return { level: 'ok', what: 'every node is Ready and takes new pods' };
  return {
    level: 'fail',
    what: troubles.map(({ node, what }) => `node ${node} ${what}`).join('; '),
    fix: [...new Set(troubles.map(({ fix }) => fix))].join('; '),
  };
}

/** The release as Helm recorded it: a pending revision blocks every deploy until it is undone. */
export function evaluateRelease(standing: Standing, namespace: string): Check {
  if (!standing.latest) {
    return {
      level: 'ok',
      what: `release ${standing.release} is not installed in namespace ${namespace} yet: the first deploy installs it`,
    };
  }
  if (stuckRevision(standing)) return { level: 'fail', what: standingLine(standing) };
  const what = `release ${standing.release} in namespace ${namespace}: ${standingLine(standing)}`;
  if (standing.latest.status !== 'deployed') {
    return {
      level: 'warn',
      what,
      fix: '`npx nx run infra:logs` shows why the last deploy failed; fix it and deploy again',
    };
  }
  return { level: 'ok', what };
}

/**
 * The release's deploy lock, when someone holds it: a deploy running elsewhere (others wait for
 * it), or one that was killed (the next deploy takes its lock over). Undefined when free.
 */
export function evaluateLock(state: LeaseState, release: string): Check | undefined {
  if (state.kind === 'free') return undefined;
  if (state.kind === 'expired') {
    return {
      level: 'ok',
      what: `release ${release}: the lock of an interrupted ${holderLine(state.holder)} has expired; the next deploy takes it over`,
    };
  }
  return {
    level: 'warn',
    what: `release ${release} is locked by a ${holderLine(state.holder)}`,
    fix: `a deploy started now waits for it (DEPLOY_LOCK_WAIT_SECONDS); if that deploy is gone, its lock expires ${LEASE_SECONDS} s after its last renewal`,
  };
}
