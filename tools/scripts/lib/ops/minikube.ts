/**
 * Minikube for users who have none yet: reading `minikube status` and `minikube addons list`
 * (both with `-o json`), and the exact `minikube start` command. All pure; the commands call
 * the CLI and hand its output here.
 */
import { UserError } from '../command.ts';

export const DEFAULT_PROFILE = 'minikube';
/** ingress serves the chart's Ingress; metrics-server feeds the HPA and `kubectl top`. */
export const REQUIRED_ADDONS = ['ingress', 'metrics-server'] as const;
export const DEFAULT_CPUS = 2;
export const DEFAULT_MEMORY_MB = 4096;
/** What `minikube start` itself refuses to go below. */
const MIN_MEMORY_MB = 1800;

/**
 * Addresses that must bypass a proxy for minikube to reach its own node: the service CIDR and
 * the networks of the docker, virtualbox and kvm drivers (minikube's proxy documentation).
 */
export const MINIKUBE_NO_PROXY = [
  'localhost',
  '127.0.0.1',
  '10.96.0.0/12',
  '192.168.49.0/24',
  '192.168.59.0/24',
  '192.168.39.0/24',
];

export type MinikubeStatus = { running: boolean; detail: string };

/**
 * `minikube status -o json` prints one object for a single node and an array for several; it
 * exits non-zero whenever something is stopped, and prints no JSON for an unknown profile.
 */
export function parseMinikubeStatus(stdout: string, profile: string): MinikubeStatus {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { running: false, detail: `profile ${profile} does not exist` };
  }
  const nodes = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
  const control = nodes[0] ?? {};
  const parts = ['Host', 'Kubelet', 'APIServer'].map((key) => [key, String(control[key] ?? '?')]);
  const running = parts.every(([, state]) => state === 'Running');
  return {
    running,
    detail: `profile ${profile}: ${parts.map(([key, state]) => `${key} ${state}`).join(', ')}`,
  };
}

/** `minikube addons list -o json`: `{"ingress": {"Status": "enabled", ...}, ...}`. */
export function parseAddons(stdout: string): Record<string, boolean> {
  const parsed = JSON.parse(stdout) as Record<string, unknown>;
  const addons: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (value && typeof value === 'object' && 'Status' in value) {
      addons[name] = (value as { Status: unknown }).Status === 'enabled';
    }
  }
  return addons;
}

export function missingAddons(addons: Record<string, boolean>): string[] {
  return REQUIRED_ADDONS.filter((name) => !addons[name]);
}

export type MinikubeResources = { cpus: number; memoryMb: number };

/** MINIKUBE_CPUS and MINIKUBE_MEMORY (MB), or the defaults. */
export function minikubeResources(env: Record<string, string | undefined>): MinikubeResources {
  const read = (name: string, fallback: number, min: number, unit: string) => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new UserError(
        `${name}=${value} is not valid: expected a whole number of ${unit}, at least ${min} (default ${fallback})`,
      );
    }
    return Number(value);
  };
  return {
    cpus: read('MINIKUBE_CPUS', DEFAULT_CPUS, 2, 'CPUs'),
    memoryMb: read('MINIKUBE_MEMORY', DEFAULT_MEMORY_MB, MIN_MEMORY_MB, 'MB'),
  };
}

export type ProxySettings = {
  /** `--docker-env` flags: the node's container runtime pulls images through the proxy. */
  dockerEnv: string[];
  /** Variables for the minikube process itself (NO_PROXY completed with minikube's networks). */
  processEnv: Record<string, string>;
};

/** The proxy variables of the environment, either case, as minikube needs them. */
export function proxySettings(env: Record<string, string | undefined>): ProxySettings {
  const pick = (name: string) => env[name] || env[name.toLowerCase()] || undefined;
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  if (!httpProxy && !httpsProxy) return { dockerEnv: [], processEnv: {} };
  const noProxy = [
    ...new Set([
      ...(pick('NO_PROXY') ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
      ...MINIKUBE_NO_PROXY,
    ]),
  ].join(',');
  const vars: Record<string, string> = {};
  if (httpProxy) vars.HTTP_PROXY = httpProxy;
  if (httpsProxy) vars.HTTPS_PROXY = httpsProxy;
  vars.NO_PROXY = noProxy;
  return {
    dockerEnv: Object.entries(vars).map(([key, value]) => `--docker-env=${key}=${value}`),
    processEnv: vars,
  };
}

export function startArgs(
  profile: string,
  resources: MinikubeResources,
  proxy: ProxySettings,
): string[] {
  return [
    'start',
    '-p',
    profile,
    `--cpus=${resources.cpus}`,
    `--memory=${resources.memoryMb}`,
    ...REQUIRED_ADDONS.map((addon) => `--addons=${addon}`),
    ...proxy.dockerEnv,
  ];
}

export type ClusterUpPlan =
  | { action: 'skip'; reason: string }
  | { action: 'enable-addons'; addons: string[]; reason: string }
  | { action: 'start'; reason: string };

/** Start only what is not already there: a running profile is never restarted. */
export function planClusterUp(
  status: MinikubeStatus,
  addons: Record<string, boolean> | undefined,
): ClusterUpPlan {
  if (!status.running) return { action: 'start', reason: `${status.detail}: starting it` };
  const missing = missingAddons(addons ?? {});
  if (missing.length) {
    return {
      action: 'enable-addons',
      addons: missing,
      reason: `${status.detail}; enabling addon ${missing.join(', ')}`,
    };
  }
  return {
    action: 'skip',
    reason: `${status.detail}, addons ${REQUIRED_ADDONS.join(' and ')} enabled: nothing to do`,
  };
}
