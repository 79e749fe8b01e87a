/**
 * The chart's ops reader (templates/ops-reader.yaml): a ServiceAccount whose Role reads the
 * release's namespace and nothing else. An assistant gets a kubeconfig holding a short-lived
 * token of it, never the deployer's own credentials, so what it can see is decided by the API
 * server, not by what the model chooses to run.
 */
import { UserError } from '../command.ts';
import type { Kube } from '../kube.ts';
import { COMPONENT_LABEL, INSTANCE_LABEL } from './release-view.ts';

export const OPS_READER_COMPONENT = 'ops-reader';
/** Long enough for a session, short enough that a copied file soon stops working. */
export const TOKEN_DURATION = '1h';

type Kubeconfig = {
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster?: string } & Record<string, unknown> }[];
};

/**
 * Pure: from `kubectl config view --minify --flatten -o json` of the deploy's context, a
 * kubeconfig with that context's cluster (server, CA), the reader's token and the namespace.
 */
export function readerKubeconfig(
  minified: string,
  context: string,
  namespace: string,
  token: string,
): string {
  const source = JSON.parse(minified) as Kubeconfig;
  const clusterName = source.contexts?.find((entry) => entry.name === context)?.context.cluster;
  const cluster = source.clusters?.find((entry) => entry.name === clusterName);
  if (!cluster) throw new UserError(`context ${context} names no cluster in the kubeconfig`);
  const user = `${context}-ops-reader`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [cluster],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: context, context: { cluster: cluster.name, user, namespace } }],
    'current-context': context,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The reader's ServiceAccount, found by its labels (its name follows the chart's naming). */
export async function opsReaderAccount(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<string> {
  const found = await kube.json<{ items: { metadata: { name: string } }[] }>([
    'get',
    'serviceaccounts',
    '--namespace',
    namespace,
    '-l',
    `${INSTANCE_LABEL}=${release},${COMPONENT_LABEL}=${OPS_READER_COMPONENT}`,
  ]);
  const name = found.items[0]?.metadata.name;
  if (!name) {
    throw new UserError(
      `release ${release} in namespace ${namespace} has no ops reader: deploy it with opsReader.enabled=true (the chart's default), so the assistant gets read-only access to the namespace and not your credentials`,
    );
  }
  return name;
}

/** A kubeconfig for the reader, with a token the API server stops honouring in an hour. */
export async function opsReaderKubeconfig(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<string> {
  const account = await opsReaderAccount(kube, namespace, release);
  const [token, minified] = await Promise.all([
    kube.run(['create', 'token', account, '--namespace', namespace, '--duration', TOKEN_DURATION]),
    kube.run(['config', 'view', '--minify', '--flatten', '-o', 'json']),
  ]);
  return readerKubeconfig(minified, kube.context, namespace, token.trim());
}
