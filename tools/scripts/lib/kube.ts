/**
 * Thin wrapper around kubectl for the pipeline: one context for every call, short request
 * timeouts so an unreachable cluster fails in seconds, and JSON output parsed here.
 */

import { UserError } from './command.ts';
import { type ApiClient, apiClient, kubeconfigCurrentContext } from './kube-api.ts';
import { shell } from './shell.ts';

export class ClusterUnreachableError extends UserError {}

/** kubectl failed; how it ended tells a failure from a kubectl stopped from outside (Ctrl-C). */
export class KubectlError extends Error {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  constructor(message: string, exitCode: number | null, signal: NodeJS.Signals | null) {
    super(message);
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

export type KubectlResult = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

export type Kube = {
  context: string;
  /** Direct GETs to the API server where the credentials allow it (see kube-api.ts). */
  api: ApiClient | undefined;
  /** Runs kubectl with the context and returns how it ended, for callers that read the code. */
  exec: (args: string[], input?: string) => Promise<KubectlResult>;
  /** Runs kubectl with the context; throws with kubectl's message on failure. */
  run: (args: string[], input?: string) => Promise<string>;
  /** Like `run` but returns undefined instead of throwing (for lookups that may find nothing). */
  tryRun: (args: string[]) => Promise<string | undefined>;
  json: <T>(args: string[]) => Promise<T>;
};

const REQUEST_TIMEOUT = '--request-timeout=10s';

/** kubectl's current context, or undefined when there is no kubeconfig or none is selected. */
export async function currentContext(): Promise<string | undefined> {
  const $ = await shell();
  const result = await $({ quiet: true, nothrow: true })`kubectl config current-context`;
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

/**
 * `options`: a kubeconfig and a kubectl binary of the caller's own (the tests' pinned kubectl
 * and the test cluster's kubeconfig), instead of the environment's.
 */
export async function connect(
  explicitContext: string | undefined,
  options: { kubeconfig?: string; kubectl?: string } = {},
): Promise<Kube> {
  const context =
    explicitContext ?? kubeconfigCurrentContext(options.kubeconfig) ?? (await currentContext());
  if (!context) {
    throw new ClusterUnreachableError(
      'no kube context: start a cluster (`minikube start`, or `npx nx run infra:cluster-up`) or set KUBE_CONTEXT',
    );
  }
  const base = ['--context', context, REQUEST_TIMEOUT];
  const kubectl = options.kubectl ?? 'kubectl';
  const env = options.kubeconfig ? { ...process.env, KUBECONFIG: options.kubeconfig } : process.env;
  const call = async (args: string[], input?: string) => {
    const $ = await shell();
    return $({ quiet: true, nothrow: true, input, env })`${kubectl} ${base} ${args}`;
  };
  let api: ApiClient | undefined;
  try {
    api = apiClient(context, options.kubeconfig);
  } catch {
    api = undefined;
  }
  const kube: Kube = {
    context,
    api,
    exec: call,
    run: async (args, input) => {
      const result = await call(args, input);
      if (result.exitCode !== 0) {
        throw new KubectlError(
          `kubectl ${args.join(' ')}: ${result.stderr.trim().split('\n').pop()}`,
          result.exitCode,
          result.signal,
        );
      }
      return result.stdout;
    },
    tryRun: async (args) => {
      const result = await call(args);
      return result.exitCode === 0 ? result.stdout : undefined;
    },
    json: async <T>(args: string[]) => JSON.parse(await kube.run([...args, '-o', 'json'])) as T,
  };
  return kube;
}

/**
 * The cluster's identity: the context and the UID of its kube-system namespace, which a
 * recreated cluster does not keep. Doubles as the reachability check.
 */
export async function clusterIdentity(kube: Kube): Promise<string> {
  const viaApi = await kube.api
    ?.get<{ metadata: { uid: string } }>('/api/v1/namespaces/kube-system')
    .catch(() => undefined);
  const uid =
    viaApi?.metadata.uid ??
    (await kube.tryRun(['get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.uid}']));
  if (!uid) {
    const $ = await shell();
    const probe = await $({
      quiet: true,
      nothrow: true,
    })`kubectl --context ${kube.context} ${REQUEST_TIMEOUT} get --raw /readyz`;
    const reason = probe.stderr.trim().split('\n').pop() || 'no answer';
    throw new ClusterUnreachableError(
      `cluster of context ${kube.context} is not reachable (${reason}): start it (\`minikube start\`, \`npx nx run infra:cluster-up\`) or set KUBE_CONTEXT to a running one`,
    );
  }
  return `${kube.context}/${uid}`;
}

/** The kinds this pipeline lists by their plural name. */
const LISTED = {
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
  statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  services: { apiVersion: 'v1', kind: 'Service' },
  pods: { apiVersion: 'v1', kind: 'Pod' },
} as const;

export type ListedKind = keyof typeof LISTED;

/** The objects of one kind (plural, e.g. `services`) in a namespace matching a label selector. */
export function listByLabel<T>(
  kube: Kube,
  plural: ListedKind,
  namespace: string,
  selector: string,
): Promise<T[]> {
  return listCollection<T>(kube, LISTED[plural], namespace, selector);
}

/** Where the API serves a kind: `apps/v1` + `Deployment` -> `/apis/apps/v1/.../deployments`. */
export function collectionPath(apiVersion: string, kind: string, namespace: string): string {
  const group = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  const lower = kind.toLowerCase();
  const plural = lower.endsWith('y')
    ? `${lower.slice(0, -1)}ies`
    : lower.endsWith('s')
      ? `${lower}es`
      : `${lower}s`;
  return `${group}/namespaces/${namespace}/${plural}`;
}

/**
 * Any kind's objects in a namespace matching a label selector, by its apiVersion and kind as a
 * manifest names them: a direct GET where the API client answers, kubectl otherwise.
 */
export async function listCollection<T>(
  kube: Kube,
  object: { apiVersion: string; kind: string },
  namespace: string,
  selector: string,
): Promise<T[]> {
  const path = `${collectionPath(object.apiVersion, object.kind, namespace)}?labelSelector=${encodeURIComponent(selector)}`;
  const viaApi = await kube.api?.get<{ items: T[] }>(path).catch(() => undefined);
  if (viaApi) return viaApi.items;
  const [group] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [''];
  const resource = group ? `${object.kind.toLowerCase()}.${group}` : object.kind.toLowerCase();
  const list = await kube.json<{ items: T[] }>([
    'get',
    resource,
    '--namespace',
    namespace,
    '-l',
    selector,
  ]);
  return list.items;
}

export async function nodeNames(kube: Kube): Promise<string[]> {
  const out = await kube.run(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(/\s+/).filter(Boolean);
}
