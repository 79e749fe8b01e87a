/**
 * `kubectl port-forward` to a Service on 127.0.0.1, on a free port kubectl picks: the one way
 * into a cluster that works the same on minikube, kind, k3d, Docker Desktop and a bare node,
 * whatever the Service type.
 */
import { spawn } from 'node:child_process';
import { UserError } from './command.ts';
import { interruption, stoppedFromOutside } from './interrupt.ts';
import { type Kube, listByLabel } from './kube.ts';
import { DEPLOY_COMMAND } from './ops/cli.ts';

export type PortForward = {
  url: string;
  localPort: number;
  stop: () => void;
  /**
   * Asked when a request through it failed: the signal that stopped kubectl from outside (Nx
   * stops a task's processes leaf first), or undefined while it runs or when it failed alone.
   */
  stoppedBy: () => Promise<NodeJS.Signals | undefined>;
};

/** How long a failed request waits for kubectl's end to be seen: its socket closes first. */
const EXIT_SEEN_MS = 500;

export type ComponentService = {
  name: string;
  port: number;
  /** The node port of that first port, when the Service has one. */
  nodePort: number | undefined;
};

/** The Service of a release component, and its first port. */
export async function componentService(
  kube: Kube,
  namespace: string,
  release: string,
  component: string,
): Promise<ComponentService> {
  const [service] = await listByLabel<{
    metadata: { name: string };
    spec: { ports: { port: number; nodePort?: number }[] };
  }>(
    kube,
    'services',
    namespace,
    `app.kubernetes.io/instance=${release},app.kubernetes.io/component=${component}`,
  );
  const first = service?.spec.ports[0];
  if (!service || !first) {
    throw new UserError(
      `no ${component} Service of release ${release} in namespace ${namespace} (context ${kube.context}): deploy it with ${DEPLOY_COMMAND}`,
    );
  }
  return { name: service.metadata.name, port: first.port, nodePort: first.nodePort };
}

export async function portForward(
  kube: Kube,
  namespace: string,
  service: { name: string; port: number },
  localPort = 0,
): Promise<PortForward> {
  const child = spawn(
    'kubectl',
    [
      '--context',
      kube.context,
      'port-forward',
      '--namespace',
      namespace,
      '--address',
      '127.0.0.1',
      `service/${service.name}`,
      `${localPort || ''}:${service.port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 15 s')), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward exited with ${code}: ${stderr.trim()}`));
    });
  }).catch((error: Error) => {
    child.kill();
    throw new UserError(`port-forward to service/${service.name} failed: ${error.message}`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    localPort: port,
    stop: () => child.kill(),
    stoppedBy: async () => {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, EXIT_SEEN_MS))]);
      if (child.exitCode === null && child.signalCode === null) return interruption();
      return stoppedFromOutside({ exitCode: child.exitCode, signal: child.signalCode });
    },
  };
}

/**
 * The Service from this machine as users reach it: its NodePort on 127.0.0.1 when it has one
 * and the app answers there (`/api/readyz`), else a port-forward. kubectl's port-forward stalls
 * on connections the pod closes mid-upload, so traffic tests prefer the NodePort.
 */
export async function localEndpoint(
  kube: Kube,
  namespace: string,
  service: ComponentService,
): Promise<Pick<PortForward, 'url' | 'stop'>> {
  if (service.nodePort) {
    const url = `http://127.0.0.1:${service.nodePort}`;
    const probe = await fetch(`${url}/api/readyz`, { signal: AbortSignal.timeout(5000) }).catch(
      () => undefined,
    );
    if (probe?.ok) return { url, stop: () => {} };
  }
  return portForward(kube, namespace, service);
}
