import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiClient, kubeconfigCurrentContext } from '../../lib/kube-api.ts';

let dir: string;
let saved: string | undefined;

const kubeconfig = `
apiVersion: v1
kind: Config
current-context: local
contexts:
  - name: local
    context: { cluster: local, user: local }
  - name: cloud
    context: { cluster: local, user: cloud }
clusters:
  - name: local
    cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: "${Buffer.from('ca').toString('base64')}" }
users:
  - name: local
    user: { token: abc }
  - name: cloud
    user: { exec: { command: gke-gcloud-auth-plugin } }
`;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
  await writeFile(join(dir, 'config'), kubeconfig);
  saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = `${join(dir, 'missing')}:${join(dir, 'config')}`;
});

afterEach(async () => {
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
  await rm(dir, { recursive: true, force: true });
});

describe('direct API client', () => {
  it('reads the current context across KUBECONFIG files, skipping missing ones', () => {
    expect(kubeconfigCurrentContext()).toBe('local');
  });

  it('serves token and certificate users', () => {
    expect(apiClient('local')).toBeDefined();
    expect(apiClient(undefined)).toBeDefined();
  });

  it('leaves exec-plugin users and unknown contexts to kubectl', () => {
    expect(apiClient('cloud')).toBeUndefined();
    expect(apiClient('nope')).toBeUndefined();
  });
});
