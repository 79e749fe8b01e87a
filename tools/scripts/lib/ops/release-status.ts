/**
 * What `infra:status` prints and the MCP `status` tool answers: the release line, its pods,
 * the image each component runs and how to reach the app. Undefined: not installed.
 */
import type { HelmVersion } from '../helm.ts';
import { DEFAULT_PROFILE } from './minikube.ts';
import { installedRelease, type ReleaseTarget } from './release-target.ts';
import {
  accessUrls,
  componentImages,
  formatTable,
  type Ingress,
  type Pod,
  podRows,
  releaseLine,
  type Service,
  selector,
} from './release-view.ts';

export async function releaseStatus(
  version: HelmVersion,
  { settings, kube, detection, ref }: ReleaseTarget,
): Promise<string[] | undefined> {
  const list = <T>(kind: string) =>
    kube
      .json<{ items: T[] }>([
        'get',
        kind,
        '--namespace',
        ref.namespace,
        '-l',
        selector(ref.release),
      ])
      .then((result) => result.items);
  const [entry, pods, services, ingresses] = await Promise.all([
    installedRelease(version, ref),
    list<Pod>('pods'),
    list<Service>('services'),
    list<Ingress>('ingresses'),
  ]);
  if (!entry) return undefined;
  const rows = podRows(pods, Date.now());
  return [
    releaseLine(entry),
    '',
    ...(rows.length
      ? formatTable(rows, ['name', 'component', 'ready', 'status', 'restarts', 'age', 'tags'])
      : ['no pods']),
    '',
    'images:',
    ...componentImages(pods).map((line) => `  ${line}`),
    '',
    'open the app:',
    ...accessUrls({
      services,
      ingresses,
      provider: detection.provider,
      minikubeProfile: detection.cluster ?? settings.minikubeProfile ?? DEFAULT_PROFILE,
      namespace: ref.namespace,
    }).map((line) => `  ${line}`),
  ];
}
