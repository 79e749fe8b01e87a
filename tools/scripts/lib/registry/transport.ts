/**
 * How images travel to the cluster: pushed to an OCI registry that every node pulls from, or
 * side-loaded into the node by the cluster's own loader. Pure: decided from the
 * DEPLOY_REGISTRY setting, the registry the cluster advertises (KEP-1755's
 * `local-registry-hosting` ConfigMap in kube-public, written by kind, k3d, ctlptl and
 * minikube's registry addon) and whether the node already shares the local Docker daemon.
 */
import { parse } from 'yaml';
import { registrySettingProblem } from './reference.ts';

export type Transport =
  | {
      kind: 'registry';
      /** Where `docker push` sends the image (host[:port][/path]). */
      push: string;
      /** The same registry as the nodes' container runtime names it; the chart gets this. */
      pull: string;
      reason: string;
    }
  | { kind: 'side-load'; reason: string };

export type AdvertisedRegistry = { host: string; hostFromContainerRuntime?: string };

export const HOSTING_CONFIGMAP = 'kube-public/local-registry-hosting';

/**
 * Pure: the registry in the ConfigMap's `localRegistryHosting.v1` document, undefined when
 * there is none; throws naming the ConfigMap and the field when the document is unusable.
 */
export function parseLocalRegistryHosting(
  data: Record<string, string> | undefined,
): AdvertisedRegistry | undefined {
  const document = data?.['localRegistryHosting.v1'];
  if (document === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parse(document);
  } catch (error) {
    throw new Error(
      `${HOSTING_CONFIGMAP}: localRegistryHosting.v1 is not YAML (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const fields = (parsed ?? {}) as Record<string, unknown>;
  const host = fields.host;
  if (
    typeof host !== 'string' ||
    host === 'auto' ||
    host === 'off' ||
    registrySettingProblem(host)
  ) {
    throw new Error(
      `${HOSTING_CONFIGMAP}: localRegistryHosting.v1.host must be a registry such as localhost:5001 (found ${JSON.stringify(host)})`,
    );
  }
  const runtime = fields.hostFromContainerRuntime;
  return typeof runtime === 'string' && !registrySettingProblem(runtime)
    ? { host, hostFromContainerRuntime: runtime }
    : { host };
}

export type TransportInput = {
  /** DEPLOY_REGISTRY: auto, off, or a registry. */
  setting: string;
  advertised: AdvertisedRegistry | undefined;
  /** Why the advertisement could not be read, if it could not (shown with the fallback). */
  advertisedProblem?: string;
  /** The node runs on the Docker daemon that built the image (Docker Desktop, minikube docker-env). */
  nodeSharesDaemon: boolean;
};

/** Pure: the transport for this deploy, and why. An explicit setting always wins. */
export function chooseTransport(input: TransportInput): Transport {
  const { setting, advertised } = input;
  if (setting === 'off') {
    return { kind: 'side-load', reason: 'DEPLOY_REGISTRY=off: side-loading into the node' };
  }
  if (setting !== 'auto') {
    return {
      kind: 'registry',
      push: setting,
      pull: setting,
      reason: `DEPLOY_REGISTRY=${setting}: pushing there, the nodes pull`,
    };
  }
  if (input.nodeSharesDaemon) {
    return {
      kind: 'side-load',
      reason: 'the node uses the Docker daemon that built the image: nothing to move',
    };
  }
  if (advertised) {
    const pull = advertised.hostFromContainerRuntime ?? advertised.host;
    return {
      kind: 'registry',
      push: advertised.host,
      pull,
      reason: `the cluster advertises registry ${advertised.host} (${HOSTING_CONFIGMAP}): pushing there, the nodes pull${pull === advertised.host ? '' : ` it as ${pull}`}`,
    };
  }
  return {
    kind: 'side-load',
    reason: `no registry advertised (${input.advertisedProblem ?? `no ${HOSTING_CONFIGMAP}`}) and DEPLOY_REGISTRY unset: side-loading into the node`,
  };
}
