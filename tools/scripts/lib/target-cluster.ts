/**
 * The cluster a deploy step talks to: kube context and identity, and the image provider for it.
 * Connecting doubles as the fail-fast check: an unreachable cluster is one line naming the fix.
 */
import { clusterIdentity, connect, type Kube, nodeNames } from './kube.ts';
import { type Detection, detectProvider } from './providers/detect.ts';
import { createProvider, type Provider } from './providers/providers.ts';
import type { Settings } from './settings.ts';

export type TargetCluster = {
  kube: Kube;
  identity: string;
  detection: Detection;
  provider: Provider;
};

export async function targetCluster(settings: Settings): Promise<TargetCluster> {
  const kube = await connect(settings.kubeContext);
  const identity = await clusterIdentity(kube);
  const needsNodes =
    settings.provider === 'kind' ||
    settings.provider === 'k3d' ||
    (settings.provider === 'auto' && /^(kind|k3d)-/.test(kube.context));
  const nodes = needsNodes ? await nodeNames(kube) : [];
  const detection = detectProvider({
    explicit: settings.provider,
    context: kube.context,
    nodeNames: nodes,
    minikubeProfile: settings.minikubeProfile,
  });
  const provider = createProvider({
    detection,
    containerdAddress: settings.containerdAddress,
    nodeNames: nodes,
  });
  return { kube, identity, detection, provider };
}
