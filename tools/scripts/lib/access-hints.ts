/**
 * How to reach the deployed frontend, printed at the end of a deploy: the port-forward always
 * works; a NodePort is shown the way the user's cluster exposes it.
 */
import type { Kube } from './kube.ts';
import { componentService } from './port-forward.ts';
import type { Detection } from './providers/detect.ts';

export async function accessHints(
  kube: Kube,
  detection: Detection,
  namespace: string,
  release: string,
): Promise<string[]> {
  const service = await componentService(kube, namespace, release, 'frontend');
  const hints = ['npx nx run infra:port-forward   # then open http://127.0.0.1:8080'];
  if (service.nodePort) {
    hints.push(
      detection.provider === 'minikube'
        ? `minikube -p ${detection.cluster ?? 'minikube'} service ${service.name} -n ${namespace} --url`
        : `http://127.0.0.1:${service.nodePort}   # NodePort, where the node's ports reach this machine`,
    );
  }
  return hints;
}
