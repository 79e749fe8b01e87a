/**
 * The app's Secret, written from `.env` by server-side apply with the manifest on kubectl's
 * stdin: values never appear on a command line (visible in `ps`), in a log, in Helm values or
 * in the release history. The chart only references the Secret by name and carries the
 * digest, so a changed secret restarts exactly the pods that read it.
 */
import type { Kube } from './kube.ts';

export const FIELD_MANAGER = 'todo-chatbot-deploy';
export const DIGEST_ANNOTATION = 'todo-chatbot/secret-digest';

/** Pure: the namespace, enforcing the restricted Pod Security Standard. */
export function namespaceManifest(namespace: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
}

/** Pure: the Secret manifest (stringData: kubectl and the API server do the encoding). */
export function secretManifest(options: {
  name: string;
  namespace: string;
  release: string;
  secrets: Record<string, string>;
  digest: string;
}): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        'app.kubernetes.io/instance': options.release,
        'app.kubernetes.io/managed-by': FIELD_MANAGER,
      },
      annotations: { [DIGEST_ANNOTATION]: options.digest },
    },
    stringData: options.secrets,
  };
}

/** Pure: what a deploy applies before Helm runs: the namespace, then the app's Secret. */
export function deployManifests(options: {
  namespace: string;
  release: string;
  secretName: string;
  secrets: Record<string, string>;
  digest: string;
}): object[] {
  const { namespace, release, secretName, secrets, digest } = options;
  return [
    namespaceManifest(namespace),
    secretManifest({ name: secretName, namespace, release, secrets, digest }),
  ];
}

/** Server-side apply of manifests through stdin; an unchanged object is left untouched. */
export async function applyManifests(kube: Kube, manifests: object[]): Promise<void> {
  const list = { apiVersion: 'v1', kind: 'List', items: manifests };
  await kube.run(
    ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'],
    JSON.stringify(list),
  );
}

export type LiveObject = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
};

/**
 * Pure: whether applying the manifests would change nothing: every label, annotation and
 * secret value they carry is already live. Exact, not a digest: a value edited by hand in
 * the cluster makes it false.
 */
export function alreadyApplied(manifests: object[], live: (LiveObject | undefined)[]): boolean {
  return manifests.every((manifest, index) => {
    const want = manifest as LiveObject & { stringData?: Record<string, string> };
    const have = live[index];
    if (!have) return false;
    const contains = (whole: Record<string, string> = {}, part: Record<string, string> = {}) =>
      Object.entries(part).every(([key, value]) => whole[key] === value);
    const decoded = Object.fromEntries(
      Object.entries(have.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
    return (
      contains(have.metadata?.labels, want.metadata?.labels) &&
      contains(have.metadata?.annotations, want.metadata?.annotations) &&
      contains(decoded, want.stringData)
    );
  });
}

/** The live namespace and Secret the manifests describe (undefined where absent). */
export async function liveObjects(
  kube: Kube,
  namespace: string,
  secretName: string,
): Promise<(LiveObject | undefined)[]> {
  const get = (path: string, args: string[]) =>
    kube.api
      ? kube.api.get<LiveObject>(path).catch(() => undefined)
      : kube.tryRun([...args, '-o', 'json']).then((out) => (out ? JSON.parse(out) : undefined));
  return Promise.all([
    get(`/api/v1/namespaces/${namespace}`, ['get', 'namespace', namespace]),
    get(`/api/v1/namespaces/${namespace}/secrets/${secretName}`, [
      'get',
      'secret',
      secretName,
      '--namespace',
      namespace,
    ]),
  ]);
}
