/**
 * What `infra:status` prints, as pure functions of `helm list -o json` and `kubectl get -o json`
 * output: the release line, a pod table, image tags per component, and how to reach the app.
 */
import type { ProviderName } from '../providers/detect.ts';

export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const DEFAULT_LOCAL_PORT = 8080;

/** One row of `helm list -o json` (Helm writes the revision as a string). */
export type HelmListEntry = {
  name: string;
  namespace: string;
  revision: string | number;
  updated: string;
  status: string;
  chart: string;
  app_version: string;
};

type Metadata = {
  name: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
};

export type Pod = {
  metadata: Metadata;
  spec: { containers: { name: string; image: string }[] };
  status: {
    phase?: string;
    containerStatuses?: { ready: boolean; restartCount: number }[];
  };
};

export type Service = {
  metadata: Metadata;
  spec: { type: string; ports: { name?: string; port: number; nodePort?: number }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
};

export type Ingress = {
  metadata: Metadata;
  spec: { tls?: { hosts?: string[] }[]; rules?: { host?: string }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
};

export function selector(release: string, component?: string): string {
  return component
    ? `${INSTANCE_LABEL}=${release},${COMPONENT_LABEL}=${component}`
    : `${INSTANCE_LABEL}=${release}`;
}

/** The release in `helm list` output, or undefined when it is not installed. */
export function findRelease(listJson: string, release: string): HelmListEntry | undefined {
  return (JSON.parse(listJson || '[]') as HelmListEntry[]).find((entry) => entry.name === release);
}

export function releaseLine(entry: HelmListEntry): string {
  return `release ${entry.name} (namespace ${entry.namespace}): revision ${entry.revision}, ${entry.status}, chart ${entry.chart}, app ${entry.app_version}, updated ${entry.updated}`;
}

/** `45s`, `12m`, `5h`, `3d`, like kubectl's AGE column (coarser). */
export function formatAge(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 120 * 60) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** The tag of an image reference; a registry port (`host:5000/app`) is not a tag. */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon !== -1) return lastSegment.slice(colon + 1);
  return image.includes('@') ? (image.split('@')[1] ?? '').slice(0, 19) : 'latest';
}

export type PodRow = {
  name: string;
  component: string;
  ready: string;
  status: string;
  restarts: string;
  age: string;
  tags: string;
};

export function podRows(pods: Pod[], now: number): PodRow[] {
  return pods.map((pod) => {
    const statuses = pod.status.containerStatuses ?? [];
    const created = Date.parse(pod.metadata.creationTimestamp ?? '');
    return {
      name: pod.metadata.name,
      component: pod.metadata.labels?.[COMPONENT_LABEL] ?? '-',
      ready: `${statuses.filter((s) => s.ready).length}/${pod.spec.containers.length}`,
      status: pod.status.phase ?? 'Unknown',
      restarts: String(statuses.reduce((sum, s) => sum + s.restartCount, 0)),
      age: Number.isNaN(created) ? '-' : formatAge(now - created),
      tags: [...new Set(pod.spec.containers.map((c) => imageTag(c.image)))].join(','),
    };
  });
}

/** Left-aligned columns, two spaces apart, with a header row. */
export function formatTable(rows: Record<string, string>[], columns: string[]): string[] {
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.toUpperCase())),
    ...rows.map((row) => line(columns.map((column) => row[column] ?? ''))),
  ];
}

/** `component: image` for each distinct image the release's pods run, sorted. */
export function componentImages(pods: Pod[]): string[] {
  const seen = new Set<string>();
  for (const pod of pods) {
    const component = pod.metadata.labels?.[COMPONENT_LABEL] ?? pod.metadata.name;
    for (const container of pod.spec.containers) seen.add(`${component}: ${container.image}`);
  }
  return [...seen].sort();
}

export type AccessInput = {
  services: Service[];
  ingresses: Ingress[];
  provider: ProviderName;
  minikubeProfile: string;
  namespace: string;
  localPort?: number;
};

const lbAddress = (status: Service['status'] | Ingress['status']) => {
  const first = status?.loadBalancer?.ingress?.[0];
  return first?.ip ?? first?.hostname;
};

/** How to reach the frontend: through its Service, through an Ingress, and by port-forward. */
export function accessUrls(input: AccessInput): string[] {
  const lines: string[] = [];
  const frontend = input.services.find((s) => s.metadata.labels?.[COMPONENT_LABEL] === 'frontend');
  const port = frontend?.spec.ports[0];
  if (frontend && port) {
    const name = frontend.metadata.name;
    if (input.provider === 'minikube' && frontend.spec.type !== 'ClusterIP') {
      // The node's IP is not routable from the host with every driver (docker on macOS);
      // `minikube service --url` opens a tunnel where it has to.
      lines.push(
        `service ${name} (${frontend.spec.type}): minikube service ${name} -n ${input.namespace} -p ${input.minikubeProfile} --url`,
      );
    } else if (frontend.spec.type === 'LoadBalancer' && lbAddress(frontend.status)) {
      lines.push(
        `service ${name} (LoadBalancer): http://${lbAddress(frontend.status)}:${port.port}`,
      );
    } else if (frontend.spec.type !== 'ClusterIP' && port.nodePort) {
      lines.push(
        `service ${name} (NodePort): http://127.0.0.1:${port.nodePort} (where the node's ports are published on this machine)`,
      );
    }
  }
  for (const ingress of input.ingresses) {
    const tlsHosts = new Set((ingress.spec.tls ?? []).flatMap((t) => t.hosts ?? []));
    const address = lbAddress(ingress.status);
    for (const rule of ingress.spec.rules ?? []) {
      const host = rule.host ?? address;
      const scheme = rule.host && tlsHosts.has(rule.host) ? 'https' : 'http';
      if (host) lines.push(`ingress ${ingress.metadata.name}: ${scheme}://${host}/`);
      else {
        lines.push(
          `ingress ${ingress.metadata.name}: no address yet${input.provider === 'minikube' ? ` (is the ingress addon on? minikube addons enable ingress -p ${input.minikubeProfile})` : ''}`,
        );
      }
    }
  }
  const localPort = input.localPort ?? DEFAULT_LOCAL_PORT;
  lines.push(
    `port-forward: npx nx run infra:port-forward (then http://127.0.0.1:${localPort})${frontend && port ? ` or kubectl port-forward -n ${input.namespace} svc/${frontend.metadata.name} ${localPort}:${port.port}` : ''}`,
  );
  return lines;
}
