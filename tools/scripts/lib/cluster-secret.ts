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

/** Server-side apply of manifests through stdin; an unchanged object is left untouched. */
export async function applyManifests(kube: Kube, manifests: object[]): Promise<void> {
  const list = { apiVersion: 'v1', kind: 'List', items: manifests };
  await kube.run(
    ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'],
    JSON.stringify(list),
  );
}

/** The digest recorded on the Secret in the cluster, or undefined when there is none. */
export async function deployedSecretDigest(
  kube: Kube,
  namespace: string,
  name: string,
): Promise<string | undefined> {
  const jsonPath = `jsonpath={.metadata.annotations.${DIGEST_ANNOTATION.replace(/[./]/g, '\\$&')}}`;
  const out = await kube.tryRun(['get', 'secret', name, '--namespace', namespace, '-o', jsonPath]);
  return out?.trim() || undefined;
}
