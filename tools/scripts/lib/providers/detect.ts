/**
 * Which mechanism puts a locally built image on the cluster's node. Pure: decided from the kube
 * context (the names minikube, kind, k3d and Docker Desktop give their contexts) and the
 * cluster's node names, unless DEPLOY_PROVIDER says otherwise.
 */

export const PROVIDER_NAMES = ['minikube', 'kind', 'k3d', 'docker-desktop', 'containerd'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export type Detection = {
  provider: ProviderName;
  /** minikube profile, kind or k3d cluster name; undefined for the others. */
  cluster: string | undefined;
  /** Why this provider was chosen, printed with the step. */
  reason: string;
};

export type DetectionInput = {
  explicit: ProviderName | 'auto';
  context: string;
  /** Names of the cluster's nodes, when known (kind and k3d name them after the cluster). */
  nodeNames?: string[];
  minikubeProfile?: string;
};

export function detectProvider(input: DetectionInput): Detection {
  const { context, explicit } = input;
  const nodes = input.nodeNames ?? [];
  const fromContext = (prefix: string) =>
    context.startsWith(prefix) ? context.slice(prefix.length) : undefined;

  const kind = fromContext('kind-');
  const k3d = fromContext('k3d-');
  const minikubeNode =
    nodes.includes('minikube') || nodes.some((n) => /^minikube(-m\d+)?$/.test(n));
  const guess: Detection =
    kind !== undefined
      ? { provider: 'kind', cluster: kind, reason: `context ${context} is a kind cluster` }
      : k3d !== undefined
        ? { provider: 'k3d', cluster: k3d, reason: `context ${context} is a k3d cluster` }
        : context === 'docker-desktop' || context === 'docker-for-desktop'
          ? {
              provider: 'docker-desktop',
              cluster: undefined,
              reason: `context ${context} runs on Docker Desktop's own daemon`,
            }
          : context === 'minikube' || minikubeNode || input.minikubeProfile
            ? {
                provider: 'minikube',
                cluster: input.minikubeProfile ?? context,
                reason: `context ${context} is a minikube profile`,
              }
            : {
                provider: 'containerd',
                cluster: undefined,
                reason: `context ${context} is none of minikube, kind, k3d or Docker Desktop: importing into the node's containerd`,
              };
  if (explicit === 'auto') return guess;
  // The CLIs' own default cluster names, when the context does not carry one.
  const defaults: Record<ProviderName, string | undefined> = {
    minikube: input.minikubeProfile ?? 'minikube',
    kind: kind ?? 'kind',
    k3d: k3d ?? 'k3s-default',
    'docker-desktop': undefined,
    containerd: undefined,
  };
  return {
    provider: explicit,
    cluster: explicit === guess.provider ? guess.cluster : defaults[explicit],
    reason: `DEPLOY_PROVIDER=${explicit}`,
  };
}
