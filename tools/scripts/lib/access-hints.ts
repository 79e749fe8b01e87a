/**
 * How to reach the deployed frontend, printed at the end of a deploy: the same lines as
 * `infra:status` (lib/ops/release-view.ts), read from the release's Services and Ingresses.
 */
import { type Kube, listByLabel, listCollection } from './kube.ts';
import { DEFAULT_PROFILE } from './ops/minikube.ts';
import { accessUrls, type Ingress, type Service, selector } from './ops/release-view.ts';
import type { Detection } from './providers/detect.ts';

export async function accessHints(
  kube: Kube,
  detection: Detection,
  options: { namespace: string; release: string; minikubeProfile: string | undefined },
): Promise<string[]> {
  const ofRelease = selector(options.release);
  const [services, ingresses] = await Promise.all([
    listByLabel<Service>(kube, 'services', options.namespace, ofRelease),
    listCollection<Ingress>(
      kube,
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
      options.namespace,
      ofRelease,
    ).catch(() => []),
  ]);
  return accessUrls({
    services,
    ingresses,
    provider: detection.provider,
    minikubeProfile: detection.cluster ?? options.minikubeProfile ?? DEFAULT_PROFILE,
    namespace: options.namespace,
  });
}
