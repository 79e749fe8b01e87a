/**
 * The environment the end-to-end tests deploy with: the local test cluster (test/cluster),
 * images pushed to its registry or side-loaded into its containerd (the way k3s and kubeadm
 * nodes are reached), the locally built base images, a namespace of their own, and a `.env`
 * made for the run. Everything else is the product's defaults: the tests drive
 * `npx nx run infra:deploy` exactly as a user does.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useKubeTools } from '@todo/test-support/kube-tools';
import { CONTEXT, paths } from '../../cluster/lib/config.ts';

export const RELEASE = 'todo';

export type DeployEnv = Record<string, string>;

/**
 * Writes the run's `.env` and returns the variables every deploy of a test file uses. The test
 * cluster advertises its registry, so `auto` pushes there; `off` side-loads into containerd.
 */
export async function deployEnv(
  namespace: string,
  registry: 'auto' | 'off' = 'auto',
): Promise<DeployEnv> {
  const tools = await useKubeTools();
  const dir = await mkdtemp(join(tmpdir(), 'todo-e2e-env-'));
  const envFile = join(dir, '.env');
  await writeFile(envFile, `JWT_SECRET=${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return {
    PATH: `${tools.binDir}:${process.env.PATH ?? ''}`,
    KUBECONFIG: paths.kubeconfig,
    KUBE_CONTEXT: CONTEXT,
    DEPLOY_PROVIDER: 'auto',
    DEPLOY_REGISTRY: registry,
    CONTAINERD_ADDRESS: paths.containerdSocket,
    DEPLOY_NAMESPACE: namespace,
    DEPLOY_RELEASE: RELEASE,
    DEPLOY_VALUES: 'infra/helm/todo-chatbot/values.local.yaml,test/e2e/values.e2e.yaml',
    DEPLOY_TIMEOUT_SECONDS: '240',
    DEPLOY_ENV_FILE: envFile,
    NODE_BASE_IMAGE: 'local/node:24-bookworm-slim',
  };
}
