/**
 * kubeconfig files: the admin one users and tests point KUBECONFIG at, and one per
 * component identity. Credentials are embedded so a copied file keeps working.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { caFile, certFiles } from './certs.ts';
import { API_PORT, CONTEXT, paths } from './config.ts';
import { writeIfChanged } from './files.ts';

export type Credentials = { caPem: string; certPem: string; keyPem: string };

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

/** A kubeconfig with a single cluster, user and context, all named after the context. */
export function kubeconfigYaml(context: string, server: string, credentials: Credentials): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: context,
        cluster: { server, 'certificate-authority-data': b64(credentials.caPem) },
      },
    ],
    users: [
      {
        name: context,
        user: {
          'client-certificate-data': b64(credentials.certPem),
          'client-key-data': b64(credentials.keyPem),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
  });
}

/** The certificate each component's kubeconfig carries. */
export const COMPONENT_IDENTITIES = [
  'controller-manager',
  'scheduler',
  'kubelet-client',
  'kube-proxy',
  'provisioner',
  'network-policy',
  'metrics-server',
] as const;

export function componentKubeconfig(identity: (typeof COMPONENT_IDENTITIES)[number]): string {
  return join(paths.configs, `${identity}.kubeconfig`);
}

export async function writeKubeconfigs(): Promise<void> {
  const server = `https://127.0.0.1:${API_PORT}`;
  const caPem = await readFile(caFile(), 'utf8');
  const credentials = async (name: string): Promise<Credentials> => {
    const files = certFiles(name);
    return {
      caPem,
      certPem: await readFile(files.cert, 'utf8'),
      keyPem: await readFile(files.key, 'utf8'),
    };
  };
  await writeIfChanged(
    paths.kubeconfig,
    kubeconfigYaml(CONTEXT, server, await credentials('admin')),
    0o600,
  );
  for (const identity of COMPONENT_IDENTITIES) {
    const yaml = kubeconfigYaml(CONTEXT, server, await credentials(identity));
    await writeIfChanged(componentKubeconfig(identity), yaml, 0o600);
  }
}
