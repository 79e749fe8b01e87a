/**
 * Reads the registry the cluster advertises (KEP-1755) and decides the image transport for a
 * deploy. One API GET, and none at all when DEPLOY_REGISTRY names the registry or turns it off.
 */
import type { Kube } from '../kube.ts';
import type { Settings } from '../settings.ts';
import {
  type AdvertisedRegistry,
  chooseTransport,
  HOSTING_CONFIGMAP,
  parseLocalRegistryHosting,
  type Transport,
} from './transport.ts';

type ConfigMap = { data?: Record<string, string> };

async function readHostingConfigMap(kube: Kube): Promise<ConfigMap | undefined> {
  const path = '/api/v1/namespaces/kube-public/configmaps/local-registry-hosting';
  if (kube.api) {
    return kube.api.get<ConfigMap>(path).catch((error: Error) => {
      if (/HTTP 404/.test(error.message)) return undefined;
      throw error;
    });
  }
  const [namespace, name] = HOSTING_CONFIGMAP.split('/') as [string, string];
  const found = await kube.tryRun([
    'get',
    'configmap',
    name,
    '--namespace',
    namespace,
    '-o',
    'json',
  ]);
  return found ? (JSON.parse(found) as ConfigMap) : undefined;
}

export async function imageTransport(
  kube: Kube,
  settings: Settings,
  nodeSharesDaemon: boolean,
): Promise<Transport> {
  let advertised: AdvertisedRegistry | undefined;
  let advertisedProblem: string | undefined;
  if (settings.registry === 'auto' && !nodeSharesDaemon) {
    try {
      advertised = parseLocalRegistryHosting((await readHostingConfigMap(kube))?.data);
    } catch (error) {
      advertisedProblem = (error as Error).message.split('\n')[0];
    }
  }
  return chooseTransport({
    setting: settings.registry,
    advertised,
    advertisedProblem,
    nodeSharesDaemon,
  });
}
