/**
 * What runs in the cluster on top of the node: CoreDNS (cluster DNS), the default
 * StorageClass served by the node's hostPath provisioner, the RBAC rules of the
 * provisioner's identity, metrics-server's APIService, and the ConfigMap advertising the
 * cluster's image registry.
 * Applied with `kubectl apply`, so a re-run is a no-op; a StorageClass whose immutable
 * fields changed is recreated first.
 */
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { info } from '@todo/scripts/lib/log.ts';
import { stringify } from 'yaml';
import { caFile, type Node } from './certs.ts';
import {
  CLUSTER_DOMAIN,
  DNS_SERVICE_IP,
  IMAGES,
  METRICS_SERVER_PORT,
  METRICS_SERVER_USER,
  NETWORK_POLICY_USER,
  PROVISIONER,
  PROVISIONER_USER,
  SCOPE,
  STORAGE_CLASS,
} from './config.ts';
import { kubectl, kubectlOk } from './kubectl.ts';
import { localRegistryHosting } from './registry.ts';

const COREFILE = `.:53 {
    errors
    health {
        lameduck 5s
    }
    ready
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;

const dnsLabels = { 'k8s-app': 'kube-dns' };

/** CoreDNS the way kubeadm deploys it, with the locally built image. */
export function coreDnsManifests(): object[] {
  const meta = { name: 'coredns', namespace: 'kube-system' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        {
          apiGroups: [''],
          resources: ['endpoints', 'services', 'pods', 'namespaces'],
          verbs: ['list', 'watch'],
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: ['list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:coredns',
      },
      subjects: [{ kind: 'ServiceAccount', ...meta }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { Corefile: COREFILE } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta, labels: dnsLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: dnsLabels },
        template: {
          metadata: { labels: dnsLabels },
          spec: {
            serviceAccountName: 'coredns',
            priorityClassName: 'system-cluster-critical',
            // Upstream resolution goes to the node's resolvers, not to CoreDNS itself.
            dnsPolicy: 'Default',
            containers: [
              {
                name: 'coredns',
                image: IMAGES.coredns,
                imagePullPolicy: 'Never',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                ],
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
                livenessProbe: {
                  httpGet: { path: '/health', port: 8080 },
                  initialDelaySeconds: 10,
                },
                readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
                resources: {
                  requests: { cpu: '50m', memory: '70Mi' },
                  limits: { memory: '170Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                },
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: dnsLabels },
      spec: {
        clusterIP: DNS_SERVICE_IP,
        selector: dnsLabels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
      },
    },
  ];
}

/**
 * The default StorageClass. WaitForFirstConsumer, as kind's and minikube's local classes: the
 * scheduler picks the node first and then waits, inside the pod's binding cycle, for the
 * provisioner to create the volume. With Immediate binding a pod created before its claim
 * is bound is parked as unschedulable and waits for a claim or volume event to retry it; on
 * this cluster one such pod missed that wake-up and stayed Pending for minutes although its
 * volume was bound (issue 21).
 */
export function storageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: STORAGE_CLASS,
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

type StorageClass = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
};

/** The fields of a StorageClass the API server refuses to change once it exists. */
const IMMUTABLE_STORAGE_CLASS_FIELDS = [
  'provisioner',
  'parameters',
  'reclaimPolicy',
  'volumeBindingMode',
] as const;

/**
 * The immutable fields in which the cluster's StorageClass differs from the wanted one, as
 * `field: current -> wanted`; any of them means the class has to be deleted and created
 * again (an apply fails). Volumes already provisioned keep working: a volume names its
 * class, it does not depend on the class object.
 */
export function immutableStorageClassChanges(
  current: Partial<StorageClass>,
  wanted: StorageClass,
): string[] {
  return IMMUTABLE_STORAGE_CLASS_FIELDS.filter(
    (field) => !isDeepStrictEqual(current[field], wanted[field]),
  ).map(
    (field) => `${field}: ${JSON.stringify(current[field])} -> ${JSON.stringify(wanted[field])}`,
  );
}

/** The default StorageClass and the provisioner's permissions. */
export function storageManifests(): object[] {
  return [
    storageClass(),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'todo-chatbot:hostpath-provisioner' },
      rules: [
        {
          apiGroups: [''],
          resources: ['persistentvolumes'],
          verbs: ['get', 'list', 'watch', 'create', 'delete'],
        },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['storageclasses'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'todo-chatbot:hostpath-provisioner' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'todo-chatbot:hostpath-provisioner',
      },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: PROVISIONER_USER }],
    },
  ];
}

/** What the NetworkPolicy controller reads: its node, and the pods, namespaces and policies. */
export function networkPolicyManifests(): object[] {
  const name = 'todo-chatbot:network-policy';
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['networking.k8s.io'],
          resources: ['networkpolicies'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: NETWORK_POLICY_USER },
      ],
    },
  ];
}

/**
 * metrics-server runs on the node, outside any pod: a Service without a selector and the
 * node's address as its endpoint, the APIService that puts metrics.k8s.io behind the API
 * server, and the rules it reads pods, nodes and the kubelets' metrics with.
 */
export function metricsServerManifests(node: Node, caPem: string): object[] {
  const name = 'todo-chatbot:metrics-server';
  const rbac = 'rbac.authorization.k8s.io';
  const user = { kind: 'User', apiGroup: rbac, name: METRICS_SERVER_USER };
  const service = { name: 'metrics-server', namespace: 'kube-system' };
  return [
    {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRole',
      metadata: { name },
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    ...[
      [name, name],
      [`${name}:auth-delegator`, 'system:auth-delegator'],
    ].map(([binding, role]) => ({
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: binding },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: role },
      subjects: [user],
    })),
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: `${name}:auth-reader`, namespace: 'kube-system' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: [user],
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: service,
      spec: { ports: [{ name: 'https', port: 443, targetPort: METRICS_SERVER_PORT }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: service,
      subsets: [
        {
          addresses: [{ ip: node.ip }],
          ports: [{ name: 'https', port: METRICS_SERVER_PORT }],
        },
      ],
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        service: { ...service, port: 443 },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        caBundle: Buffer.from(caPem).toString('base64'),
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ];
}

export function manifestsYaml(documents: object[]): string {
  return documents.map((document) => stringify(document)).join('---\n');
}

/** Deletes the cluster's StorageClass when an apply could not turn it into the wanted one. */
async function replaceOutdatedStorageClass(): Promise<void> {
  const current = await kubectl(['get', 'storageclass', STORAGE_CLASS, '-o', 'json']);
  if (current.exitCode !== 0) return;
  const changes = immutableStorageClassChanges(JSON.parse(current.stdout), storageClass());
  if (changes.length === 0) return;
  info(
    SCOPE,
    `StorageClass ${STORAGE_CLASS} changes fields that cannot be updated (${changes.join(', ')}): recreating it; existing volumes are kept`,
  );
  await kubectlOk(['delete', 'storageclass', STORAGE_CLASS, '--wait=true']);
}

export async function applyAddons(node: Node): Promise<void> {
  await replaceOutdatedStorageClass();
  const documents = [
    ...storageManifests(),
    ...networkPolicyManifests(),
    ...metricsServerManifests(node, await readFile(caFile(), 'utf8')),
    ...coreDnsManifests(),
    localRegistryHosting(),
  ];
  await kubectlOk(
    ['apply', '--server-side', '--force-conflicts', '-f', '-'],
    manifestsYaml(documents),
  );
}
