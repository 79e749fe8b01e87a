/**
 * Readiness checks of the node's components, and a wait that fails fast, naming the
 * component, when the process it waits for has died.
 */
import { poll } from '@todo/scripts/lib/poll.ts';
import { $ } from 'zx';
import type { Node } from './certs.ts';
import {
  ETCD_CLIENT_URL,
  KUBE_PROXY_HEALTHZ,
  KUBELET_HEALTHZ,
  paths,
  REGISTRY_PORT,
} from './config.ts';
import { kubectl } from './kubectl.ts';
import { type Component, runningPid } from './processes.ts';

/** A failure tied to one component: cluster-up prints that component's log with it. */
export class ComponentError extends Error {
  readonly component: string;
  constructor(component: string, message: string) {
    super(message);
    this.component = component;
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** The registry answers the Distribution API's version check (200 without auth). */
export const registryServing = () => httpOk(`http://127.0.0.1:${REGISTRY_PORT}/v2/`);

/** The check that tells a started component is serving. */
export const READY_CHECKS: Record<string, () => Promise<boolean>> = {
  containerd: async () =>
    (await $({ nothrow: true, quiet: true })`ctr --address ${paths.containerdSocket} version`)
      .exitCode === 0,
  registry: registryServing,
  etcd: () => httpOk(`${ETCD_CLIENT_URL}/health`),
  'kube-apiserver': async () => (await kubectl(['get', '--raw=/readyz'])).exitCode === 0,
  kubelet: () => httpOk(KUBELET_HEALTHZ),
  'kube-proxy': () => httpOk(KUBE_PROXY_HEALTHZ),
  // The controller creates its top-level chain when it starts enforcing.
  'network-policy': async () =>
    (await $({ nothrow: true, quiet: true })`iptables -w -S KUBE-ROUTER-FORWARD`).exitCode === 0,
};

/** Polls `check` until it passes; fails early if the component's process is gone. */
export async function waitFor(
  component: Component,
  description: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  await poll(async () => (await check()) || undefined, {
    timeoutMs,
    intervalMs: 250,
    stopped: () =>
      runningPid(component)
        ? undefined
        : `${component.name} exited while waiting for ${description}`,
    timeoutMessage: () => `timed out after ${timeoutMs / 1000} s waiting for ${description}`,
  }).catch((error: Error) => {
    throw new ComponentError(component.name, error.message);
  });
}

/** The node's Ready condition status ("True" once kubelet, runtime and CNI are fine). */
export async function nodeReady(node: Node): Promise<boolean> {
  const path = '{.status.conditions[?(@.type=="Ready")].status}';
  const result = await kubectl(['get', 'node', node.name, '-o', `jsonpath=${path}`]);
  return result.exitCode === 0 && result.stdout.trim() === 'True';
}

/** The metrics API answers through the aggregation layer (its APIService is Available). */
export async function metricsApiAvailable(): Promise<boolean> {
  const path = '{.status.conditions[?(@.type=="Available")].status}';
  const result = await kubectl([
    'get',
    'apiservice',
    'v1beta1.metrics.k8s.io',
    '-o',
    `jsonpath=${path}`,
  ]);
  return result.exitCode === 0 && result.stdout.trim() === 'True';
}

export async function deploymentAvailable(namespace: string, name: string): Promise<boolean> {
  const path = '{.status.availableReplicas}';
  const result = await kubectl([
    '-n',
    namespace,
    'get',
    'deployment',
    name,
    '-o',
    `jsonpath=${path}`,
  ]);
  return result.exitCode === 0 && Number(result.stdout.trim()) > 0;
}
