/**
 * The node's processes in start order, with their command lines and config files. The
 * Kubernetes components all run from the one multi-call `kube` binary, through a
 * symlink per component so `ps` and the pid checks show which is which. The image
 * registry (registry.ts) sits next to containerd: it needs nothing from Kubernetes.
 */
import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Node } from './certs.ts';
import { caFile, certFiles } from './certs.ts';
import {
  API_PORT,
  binDir,
  CLUSTER_DOMAIN,
  DNS_SERVICE_IP,
  ETCD_CLIENT_URL,
  ETCD_PEER_URL,
  FRONT_PROXY_CLIENT,
  METRICS_SERVER_PORT,
  POD_CIDR,
  paths,
  SERVICE_CIDR,
} from './config.ts';
import { containerdConfigPath } from './containerd.ts';
import { writeIfChanged } from './files.ts';
import { componentKubeconfig } from './kubeconfig.ts';
import type { Component } from './processes.ts';
import { registryComponent } from './registry.ts';

const KUBE_COMMANDS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-proxy',
  'hostpath-provisioner',
  'network-policy',
  'metrics-server',
] as const;

export async function linkKubeCommands(): Promise<void> {
  for (const name of KUBE_COMMANDS) {
    if (!existsSync(join(binDir, name))) await symlink('kube', join(binDir, name));
  }
}

const bin = (name: string) => join(binDir, name);
const configFile = (name: string) => join(paths.configs, name);

export function kubeletConfig(node: Node): object {
  const serving = certFiles('kubelet');
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // The API server authenticates with its client certificate, everything else with a
    // token the API server reviews; anonymous access stays off.
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: caFile() },
    },
    authorization: { mode: 'Webhook' },
    tlsCertFile: serving.cert,
    tlsPrivateKeyFile: serving.key,
    address: node.ip,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    // cgroup v1 without systemd managing the node: containerd uses cgroupfs too.
    cgroupDriver: 'cgroupfs',
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    clusterDNS: [DNS_SERVICE_IP],
    clusterDomain: CLUSTER_DOMAIN,
    resolvConf: '/etc/resolv.conf',
    podLogsDir: paths.podLogs,
    // Development machines often have swap; the test workloads do not care.
    failSwapOn: false,
    // A shared development disk is often fuller than the kubelet's 85 % default allows, and
    // on a VM's shared disk a percentage says nothing about the room this node has: 1 % of a
    // 252 GB host disk tainted the node with disk-pressure while 2 GB were free. Absolute
    // floors, below which an image pull or a database write fails anyway.
    imageGCHighThresholdPercent: 100,
    evictionHard: {
      'nodefs.available': '512Mi',
      'imagefs.available': '512Mi',
      'memory.available': '100Mi',
    },
  };
}

export function kubeProxyConfig(node: Node): object {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig: componentKubeconfig('kube-proxy') },
    hostnameOverride: node.name,
    clusterCIDR: POD_CIDR,
    // Leave the host's conntrack table size alone (a VM may refuse the write).
    conntrack: { maxPerCore: 0 },
    // NodePorts on 127.0.0.1, like kind and Docker Desktop give.
    iptables: { localhostNodePorts: true },
    metricsBindAddress: '127.0.0.1:10249',
    healthzBindAddress: '127.0.0.1:10256',
  };
}

export async function writeComponentConfigs(node: Node): Promise<void> {
  await writeIfChanged(configFile('kubelet.yaml'), stringify(kubeletConfig(node)));
  await writeIfChanged(configFile('kube-proxy.yaml'), stringify(kubeProxyConfig(node)));
}

/** Every process of the node, in the order they have to start. */
export function components(node: Node): Component[] {
  const pki = (name: string) => join(paths.pki, name);
  const apiserverCert = certFiles('apiserver');
  const kubeletClient = certFiles('apiserver-kubelet-client');
  const frontProxy = certFiles('front-proxy-client');
  const metricsServer = certFiles('metrics-server');
  const delegated = (identity: 'controller-manager' | 'scheduler') => [
    `--kubeconfig=${componentKubeconfig(identity)}`,
    `--authentication-kubeconfig=${componentKubeconfig(identity)}`,
    `--authorization-kubeconfig=${componentKubeconfig(identity)}`,
    '--bind-address=127.0.0.1',
    // One instance: leader election would only delay a restart by the lease duration.
    '--leader-elect=false',
  ];
  return [
    {
      name: 'containerd',
      command: '/usr/bin/containerd',
      args: ['--config', containerdConfigPath()],
    },
    registryComponent(),
    {
      name: 'etcd',
      command: bin('etcd'),
      args: [
        '--name=default',
        `--data-dir=${paths.etcdData}`,
        `--listen-client-urls=${ETCD_CLIENT_URL}`,
        `--advertise-client-urls=${ETCD_CLIENT_URL}`,
        `--listen-peer-urls=${ETCD_PEER_URL}`,
        `--initial-advertise-peer-urls=${ETCD_PEER_URL}`,
        `--initial-cluster=default=${ETCD_PEER_URL}`,
        '--listen-metrics-urls=',
        // A test cluster's etcd does not need to survive power loss; fsync on every write
        // would make it the slowest part of the node on a shared disk.
        '--unsafe-no-fsync',
      ],
    },
    {
      name: 'kube-apiserver',
      command: bin('kube-apiserver'),
      args: [
        `--etcd-servers=${ETCD_CLIENT_URL}`,
        `--advertise-address=${node.ip}`,
        `--secure-port=${API_PORT}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        // The restricted-namespace proof must be rejected by PodSecurity, not by this flag.
        '--allow-privileged=true',
        `--client-ca-file=${caFile()}`,
        `--tls-cert-file=${apiserverCert.cert}`,
        `--tls-private-key-file=${apiserverCert.key}`,
        `--kubelet-certificate-authority=${caFile()}`,
        `--kubelet-client-certificate=${kubeletClient.cert}`,
        `--kubelet-client-key=${kubeletClient.key}`,
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        `--service-account-issuer=https://kubernetes.default.svc.${CLUSTER_DOMAIN}`,
        `--service-account-key-file=${pki('sa.pub')}`,
        `--service-account-signing-key-file=${pki('sa.key')}`,
        // The aggregation layer, for metrics-server's metrics.k8s.io: the API server proxies
        // as front-proxy-client and names the user in headers metrics-server trusts from it.
        `--requestheader-client-ca-file=${caFile()}`,
        `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${frontProxy.cert}`,
        `--proxy-client-key-file=${frontProxy.key}`,
        // To the endpoint's address (metrics-server on the node), not through a Service IP.
        '--enable-aggregator-routing=true',
        '--profiling=false',
      ],
    },
    {
      name: 'kube-controller-manager',
      command: bin('kube-controller-manager'),
      args: [
        ...delegated('controller-manager'),
        `--root-ca-file=${caFile()}`,
        `--service-account-private-key-file=${pki('sa.key')}`,
        '--use-service-account-credentials=true',
        `--cluster-signing-cert-file=${caFile()}`,
        `--cluster-signing-key-file=${pki('ca.key')}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        // The HPA acts within seconds of a metric (15 s by default): scaling tests stay short.
        '--horizontal-pod-autoscaler-sync-period=5s',
        '--profiling=false',
      ],
    },
    {
      name: 'kube-scheduler',
      command: bin('kube-scheduler'),
      args: [...delegated('scheduler'), '--profiling=false'],
    },
    {
      name: 'kubelet',
      command: bin('kubelet'),
      args: [
        `--config=${configFile('kubelet.yaml')}`,
        `--kubeconfig=${componentKubeconfig('kubelet-client')}`,
        `--root-dir=${paths.kubeletRoot}`,
        `--hostname-override=${node.name}`,
        `--node-ip=${node.ip}`,
      ],
    },
    {
      name: 'kube-proxy',
      command: bin('kube-proxy'),
      args: [`--config=${configFile('kube-proxy.yaml')}`],
    },
    {
      name: 'hostpath-provisioner',
      command: bin('hostpath-provisioner'),
      args: [
        `--kubeconfig=${componentKubeconfig('provisioner')}`,
        `--root=${paths.volumes}`,
        `--node=${node.name}`,
      ],
    },
    {
      // kube-router's policy controller (go/kube/networkpolicy.go), with kube-router's flags.
      name: 'network-policy',
      command: bin('network-policy'),
      args: [
        `--kubeconfig=${componentKubeconfig('network-policy')}`,
        `--hostname-override=${node.name}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        // Readiness is read off the chains it installs; no port to open on every interface.
        '--health-port=0',
      ],
    },
    {
      // metrics-server (go/kube/metricsserver.go), with its own flags: the metrics the HPA
      // reads, scraped from the kubelet every 10 s (its shortest resolution).
      name: 'metrics-server',
      command: bin('metrics-server'),
      args: [
        `--kubeconfig=${componentKubeconfig('metrics-server')}`,
        `--authentication-kubeconfig=${componentKubeconfig('metrics-server')}`,
        `--authorization-kubeconfig=${componentKubeconfig('metrics-server')}`,
        `--bind-address=${node.ip}`,
        `--secure-port=${METRICS_SERVER_PORT}`,
        `--tls-cert-file=${metricsServer.cert}`,
        `--tls-private-key-file=${metricsServer.key}`,
        `--requestheader-client-ca-file=${caFile()}`,
        `--kubelet-certificate-authority=${caFile()}`,
        `--kubelet-client-certificate=${metricsServer.cert}`,
        `--kubelet-client-key=${metricsServer.key}`,
        '--kubelet-preferred-address-types=InternalIP',
        '--metric-resolution=10s',
        // Shorter than the resolution, as metrics-server requires (its default is 10 s).
        '--kubelet-request-timeout=5s',
        '--profiling=false',
      ],
    },
  ];
}
