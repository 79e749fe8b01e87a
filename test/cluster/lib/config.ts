/**
 * Versions, paths and addresses of the test cluster, in one place so every command and
 * test agrees on them. Everything built is cached per user and per Kubernetes version
 * (outside the repository); everything a running cluster owns lives under one state
 * folder that cluster-down removes, except the component logs.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SCOPE = 'cluster';

/** Kubernetes release the components are built from; the staging modules follow it. */
export const K8S_VERSION = 'v1.33.13';
/** CoreDNS release Kubernetes 1.33 ships with. */
export const COREDNS_VERSION = 'v1.12.0';

export const CONTEXT = 'todo-chatbot-local';
export const CLUSTER_DOMAIN = 'cluster.local';
export const SERVICE_CIDR = '10.96.0.0/16';
/** First address of the service range: the `kubernetes` Service. */
export const API_SERVICE_IP = '10.96.0.1';
export const DNS_SERVICE_IP = '10.96.0.10';
export const POD_CIDR = '10.244.0.0/24';
export const API_PORT = 6443;
export const ETCD_CLIENT_URL = 'http://127.0.0.1:2379';
export const ETCD_PEER_URL = 'http://127.0.0.1:2380';
export const KUBELET_HEALTHZ = 'http://127.0.0.1:10248/healthz';
export const KUBE_PROXY_HEALTHZ = 'http://127.0.0.1:10256/healthz';
/**
 * The cluster's image registry listens on the host's loopback; 5001 as in kind's
 * local-registry recipe (5000 is often taken by something else on a development machine).
 */
export const REGISTRY_PORT = 5001;
/**
 * The registry's name for `docker push` on the host and for the node's containerd alike:
 * both run on the host, and Docker treats localhost as an insecure (plain HTTP) registry.
 */
export const REGISTRY_HOST = `localhost:${REGISTRY_PORT}`;

export const STORAGE_CLASS = 'standard';
export const PROVISIONER = 'todo-chatbot.local/hostpath';
/** The user the provisioner authenticates as (its client certificate's CN). */
export const PROVISIONER_USER = 'todo-chatbot:hostpath-provisioner';
/** The user the NetworkPolicy controller authenticates as. */
export const NETWORK_POLICY_USER = 'todo-chatbot:network-policy';
/** metrics-server's identity towards the API server and the kubelet, and its serving port. */
export const METRICS_SERVER_USER = 'todo-chatbot:metrics-server';
export const METRICS_SERVER_PORT = 10261;
/** The client the API server's aggregation layer proxies to metrics-server as. */
export const FRONT_PROXY_CLIENT = 'front-proxy-client';

/** Images live in containerd under their fully qualified names (docker.io/<name>). */
export const IMAGES = {
  pause: 'local/pause:3.10',
  coredns: `local/coredns:${COREDNS_VERSION.slice(1)}`,
  postgres: 'local/postgres:15-bookworm',
} as const;

/** Where Go build output is cached; CLUSTER_CACHE_DIR overrides it. */
export const cacheDir =
  process.env.CLUSTER_CACHE_DIR ?? join(homedir(), '.cache', 'todo-chatbot', 'cluster');
export const binDir = join(cacheDir, K8S_VERSION, 'bin');

/** Persistent state of the running cluster; CLUSTER_STATE_DIR overrides it. */
export const stateDir = process.env.CLUSTER_STATE_DIR ?? '/var/lib/todo-chatbot-cluster';
/** Sockets and pid files: gone after a reboot, like the processes they describe. */
export const runDir = process.env.CLUSTER_RUN_DIR ?? '/run/todo-chatbot-cluster';

export const paths = {
  logs: join(stateDir, 'logs'),
  pki: join(stateDir, 'pki'),
  configs: join(stateDir, 'config'),
  kubeconfig: join(stateDir, 'kubeconfig'),
  etcdData: join(stateDir, 'etcd'),
  kubeletRoot: join(stateDir, 'kubelet'),
  podLogs: join(stateDir, 'pod-logs'),
  volumes: join(stateDir, 'volumes'),
  containerdRoot: join(stateDir, 'containerd'),
  containerdState: join(runDir, 'containerd'),
  containerdSocket: join(runDir, 'containerd.sock'),
  /** containerd's per-registry hosts.toml folders (CRI `registry.config_path`). */
  containerdHosts: join(stateDir, 'containerd', 'certs.d'),
  registryData: join(stateDir, 'registry'),
  cniConfDir: join(stateDir, 'cni', 'net.d'),
  cniData: join(stateDir, 'cni', 'ipam'),
  cniBinDir: '/usr/lib/cni',
  pids: join(runDir, 'pids'),
} as const;
