/**
 * The cluster's PKI, made with the openssl CLI: one CA that signs every serving and client
 * certificate, and the service-account signing key. Identities follow what RBAC's
 * bootstrap policy and the Node authorizer expect (system:node:<name> in system:nodes,
 * system:kube-controller-manager, ...), so RBAC stays on with its default bindings.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import {
  API_SERVICE_IP,
  CLUSTER_DOMAIN,
  FRONT_PROXY_CLIENT,
  METRICS_SERVER_USER,
  NETWORK_POLICY_USER,
  PROVISIONER_USER,
  paths,
} from './config.ts';

export type Node = { name: string; ip: string };

export type CertSpec = {
  /** File stem under the pki folder: <name>.crt and <name>.key. */
  name: string;
  commonName: string;
  organization?: string;
  usage: 'server' | 'client' | 'server+client';
  dnsNames?: string[];
  ips?: string[];
};

/** Names and addresses the API server is reached by: host, pods, Service and DNS name. */
export function apiServerSans(node: Node): Pick<CertSpec, 'dnsNames' | 'ips'> {
  return {
    dnsNames: [
      'localhost',
      node.name,
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      `kubernetes.default.svc.${CLUSTER_DOMAIN}`,
    ],
    ips: ['127.0.0.1', node.ip, API_SERVICE_IP],
  };
}

/** Every certificate the cluster needs, for a node with this name and address. */
export function certPlan(node: Node): CertSpec[] {
  return [
    { name: 'apiserver', commonName: 'kube-apiserver', usage: 'server', ...apiServerSans(node) },
    // The API server's identity towards kubelets (logs, exec, port-forward).
    {
      name: 'apiserver-kubelet-client',
      commonName: 'kube-apiserver-kubelet-client',
      organization: 'system:masters',
      usage: 'client',
    },
    {
      name: 'admin',
      commonName: 'todo-chatbot-admin',
      organization: 'system:masters',
      usage: 'client',
    },
    { name: 'controller-manager', commonName: 'system:kube-controller-manager', usage: 'client' },
    { name: 'scheduler', commonName: 'system:kube-scheduler', usage: 'client' },
    { name: 'kube-proxy', commonName: 'system:kube-proxy', usage: 'client' },
    { name: 'provisioner', commonName: PROVISIONER_USER, usage: 'client' },
    { name: 'network-policy', commonName: NETWORK_POLICY_USER, usage: 'client' },
    // The aggregation layer's identity towards metrics-server (requestheader authentication).
    { name: 'front-proxy-client', commonName: FRONT_PROXY_CLIENT, usage: 'client' },
    // metrics-server serves the API server on the node's address and scrapes the kubelet.
    {
      name: 'metrics-server',
      commonName: METRICS_SERVER_USER,
      usage: 'server+client',
      // The aggregation layer checks the name of the Service it reaches it through.
      dnsNames: ['metrics-server.kube-system.svc'],
      ips: [node.ip],
    },
    {
      name: 'kubelet-client',
      commonName: `system:node:${node.name}`,
      organization: 'system:nodes',
      usage: 'client',
    },
    {
      name: 'kubelet',
      commonName: node.name,
      usage: 'server',
      dnsNames: ['localhost', node.name],
      ips: ['127.0.0.1', node.ip],
    },
  ];
}

/** The openssl x509 v3 extensions of a leaf certificate. */
export function extensions(spec: CertSpec): string {
  const usage = {
    server: 'serverAuth',
    client: 'clientAuth',
    'server+client': 'serverAuth,clientAuth',
  }[spec.usage];
  const lines = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage}`,
  ];
  const alt = [
    ...(spec.dnsNames ?? []).map((name) => `DNS:${name}`),
    ...(spec.ips ?? []).map((ip) => `IP:${ip}`),
  ];
  if (alt.length > 0) lines.push(`subjectAltName=${alt.join(',')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The leaf certificates to (re)issue: those missing on disk and those whose spec changed
 * since they were issued (a new node address, say). The CA survives, so kubeconfigs
 * handed out earlier keep working.
 */
export function certsToIssue(
  plan: CertSpec[],
  issued: Record<string, CertSpec>,
  exists: (name: string) => boolean,
): CertSpec[] {
  return plan.filter(
    (spec) => !exists(spec.name) || JSON.stringify(issued[spec.name]) !== JSON.stringify(spec),
  );
}

const ISSUED_FILE = 'issued.json';
const DAYS = '3650';

async function newKey(file: string): Promise<void> {
  await $({
    quiet: true,
  })`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${file}`;
}

async function ensureCa(): Promise<void> {
  const key = join(paths.pki, 'ca.key');
  const crt = join(paths.pki, 'ca.crt');
  if (existsSync(key) && existsSync(crt)) return;
  await newKey(key);
  await $({
    quiet: true,
  })`openssl req -x509 -new -key ${key} -out ${crt} -days ${DAYS} -subj ${'/CN=todo-chatbot-local-ca'} -addext ${'basicConstraints=critical,CA:TRUE'} -addext ${'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'}`;
}

async function issue(spec: CertSpec): Promise<void> {
  const base = join(paths.pki, spec.name);
  const subject = `/CN=${spec.commonName}${spec.organization ? `/O=${spec.organization}` : ''}`;
  await writeFile(`${base}.ext`, extensions(spec));
  await newKey(`${base}.key`);
  await $({
    quiet: true,
  })`openssl req -new -key ${`${base}.key`} -subj ${subject} -out ${`${base}.csr`}`;
  await $({
    quiet: true,
  })`openssl x509 -req -in ${`${base}.csr`} -CA ${join(paths.pki, 'ca.crt')} -CAkey ${join(paths.pki, 'ca.key')} -CAcreateserial -days ${DAYS} -extfile ${`${base}.ext`} -out ${`${base}.crt`}`;
  await $`rm -f ${`${base}.csr`} ${`${base}.ext`}`;
}

async function ensureServiceAccountKey(): Promise<void> {
  const key = join(paths.pki, 'sa.key');
  if (existsSync(key)) return;
  await newKey(key);
  await $({ quiet: true })`openssl pkey -in ${key} -pubout -out ${join(paths.pki, 'sa.pub')}`;
}

/** Creates what is missing or outdated; returns the names of the certificates issued. */
export async function ensureCerts(node: Node): Promise<string[]> {
  await mkdir(paths.pki, { recursive: true, mode: 0o700 });
  await ensureCa();
  await ensureServiceAccountKey();
  const issuedFile = join(paths.pki, ISSUED_FILE);
  const issued: Record<string, CertSpec> = existsSync(issuedFile)
    ? JSON.parse(await readFile(issuedFile, 'utf8'))
    : {};
  const todo = certsToIssue(certPlan(node), issued, (name) =>
    existsSync(join(paths.pki, `${name}.crt`)),
  );
  for (const spec of todo) {
    await issue(spec);
    issued[spec.name] = spec;
  }
  await writeFile(issuedFile, `${JSON.stringify(issued, null, 2)}\n`);
  return todo.map((spec) => spec.name);
}

export function certFiles(name: string): { cert: string; key: string } {
  return { cert: join(paths.pki, `${name}.crt`), key: join(paths.pki, `${name}.key`) };
}

export const caFile = (): string => join(paths.pki, 'ca.crt');
