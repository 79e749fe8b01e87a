/**
 * NetworkPolicy semantics over rendered manifests, as an enforcing network plugin applies them:
 * who may open a connection to whom. Covers what the chart uses (podSelector and
 * namespaceSelector by matchLabels, ports by number or by the destination's port name) and
 * fails on anything else, so a template that grows a feature grows this first.
 */
import { type Manifest, podTemplates, selects } from './helm.ts';

/** A pod of the release (its labels and container ports), or a client outside it. */
export type Endpoint =
  | { kind: 'pod'; name: string; labels: Record<string, string>; ports: Record<string, number> }
  | { kind: 'outside'; name: string; inCluster: boolean };

/** The release's pods, one per workload (a hook Job or a test Pod included). */
export function releasePods(manifests: Manifest[]): Endpoint[] {
  return podTemplates(manifests).map(({ owner, metadata, spec }) => ({
    kind: 'pod' as const,
    name: owner.metadata.labels?.['app.kubernetes.io/component'] ?? owner.metadata.name,
    labels: metadata.labels ?? {},
    ports: Object.fromEntries(
      (spec.containers ?? []).flatMap((c: any) =>
        (c.ports ?? []).map((p: any) => [p.name, p.containerPort]),
      ),
    ),
  }));
}

type Peer = { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: object };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: { port: number | string; protocol?: string }[] };

function known(peer: Peer): void {
  const extra = Object.keys(peer).filter(
    (key) => !['podSelector', 'namespaceSelector'].includes(key),
  );
  if (extra.length) throw new Error(`unsupported NetworkPolicy peer field: ${extra.join(', ')}`);
}

/** A peer of a rule matches an endpoint (the release lives in one namespace). */
function peerMatches(peer: Peer, endpoint: Endpoint): boolean {
  known(peer);
  if (peer.namespaceSelector) {
    if (Object.keys(peer.namespaceSelector).length)
      throw new Error('namespaceSelector with labels');
    // Any namespace: any pod of the cluster, never an address outside it.
    if (endpoint.kind === 'outside') return endpoint.inCluster && !peer.podSelector;
    return !peer.podSelector || selects(peer.podSelector.matchLabels ?? {}, endpoint.labels);
  }
  if (endpoint.kind === 'outside') return false;
  const labels = peer.podSelector?.matchLabels ?? {};
  return Object.keys(labels).length === 0 || selects(labels, endpoint.labels);
}

function portMatches(rule: Rule, destination: Endpoint, port: number, protocol: string): boolean {
  if (!rule.ports) return true;
  return rule.ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (typeof p.port === 'number') return p.port === port;
    return destination.kind === 'pod' && destination.ports[p.port] === port;
  });
}

function ruleAllows(
  rule: Rule,
  peers: Peer[] | undefined,
  other: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: string,
) {
  const fromOk = !peers || peers.some((peer) => peerMatches(peer, other));
  return fromOk && portMatches(rule, destination, port, protocol);
}

function selected(policy: Manifest, endpoint: Endpoint): boolean {
  if (endpoint.kind !== 'pod') return false;
  const labels = policy.spec.podSelector?.matchLabels ?? {};
  return Object.keys(labels).length === 0 || selects(labels, endpoint.labels);
}

/** Whether a connection from `source` to `destination` on a port is allowed both ways round. */
export function allowed(
  manifests: Manifest[],
  source: Endpoint,
  destination: Endpoint,
  port: number,
  protocol = 'TCP',
): boolean {
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
  const types = (p: Manifest): string[] => p.spec.policyTypes ?? ['Ingress'];
  const egressPolicies = policies.filter((p) => selected(p, source) && types(p).includes('Egress'));
  const egressOk =
    egressPolicies.length === 0 ||
    egressPolicies.some((p) =>
      (p.spec.egress ?? []).some((rule: Rule) =>
        ruleAllows(rule, rule.to, destination, destination, port, protocol),
      ),
    );
  const ingressPolicies = policies.filter(
    (p) => selected(p, destination) && types(p).includes('Ingress'),
  );
  const ingressOk =
    ingressPolicies.length === 0 ||
    ingressPolicies.some((p) =>
      (p.spec.ingress ?? []).some((rule: Rule) =>
        ruleAllows(rule, rule.from, source, destination, port, protocol),
      ),
    );
  return egressOk && ingressOk;
}
