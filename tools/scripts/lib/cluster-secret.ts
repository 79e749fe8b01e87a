/**
 * The app's Secret, written from `.env` by server-side apply with the manifest on kubectl's
 * stdin: values never appear on a command line (visible in `ps`), in a log, in Helm values or
 * in the release history. The chart only references the Secret by name and carries the
 * digest, so a changed secret restarts exactly the pods that read it.
 *
 * The Secret holds exactly the keys `.env` has: a key removed there (a revoked API key) is
 * removed from the cluster too. Server-side apply cannot be trusted with that (it prunes only
 * fields its manager owns, and none of a key written by hand or as `stringData` by an earlier
 * version), so when the live Secret has a key the env file lacks it is replaced whole.
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

/** Pure: the Secret manifest. */
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
    data: Object.fromEntries(
      Object.entries(options.secrets).map(([key, value]) => [
        key,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
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

/** Replaces a live object with the manifest (through stdin): fields it leaves out are gone. */
export async function replaceManifest(kube: Kube, manifest: object): Promise<void> {
  await kube.run(['replace', '-f', '-'], JSON.stringify(manifest));
}

export type LiveObject = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
};

/**
 * Pure: the keys of the live object's data that the manifest no longer has (none when it
 * has no data or is not live).
 */
export function staleKeys(manifest: object, live: LiveObject | undefined): string[] {
  const want = (manifest as LiveObject).data;
  if (!want || !live?.data) return [];
  return Object.keys(live.data)
    .filter((key) => !(key in want))
    .sort();
}

/**
 * Pure: whether applying the manifests would change nothing: every label and annotation they
 * carry is live, and the data is live exactly (the same keys, the same values). Exact, not a
 * digest: a value edited by hand in the cluster, or a key added, makes it false.
 */
export function alreadyApplied(manifests: object[], live: (LiveObject | undefined)[]): boolean {
  return manifests.every((manifest, index) => {
    const want = manifest as LiveObject;
    const have = live[index];
    if (!have) return false;
    const contains = (whole: Record<string, string> = {}, part: Record<string, string> = {}) =>
      Object.entries(part).every(([key, value]) => whole[key] === value);
    return (
      contains(have.metadata?.labels, want.metadata?.labels) &&
      contains(have.metadata?.annotations, want.metadata?.annotations) &&
      contains(have.data, want.data) &&
      staleKeys(want, have).length === 0
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
