/** kubectl v1.33 (the project's pinned copy) against the test cluster's admin kubeconfig. */

import { ensureKubeTools } from '@todo/test-support/kube-tools';
import { $ } from 'zx';
import { paths } from './config.ts';

export async function kubectl(args: string[], input?: string) {
  const { kubectl: binary } = await ensureKubeTools();
  const run = $({
    quiet: true,
    nothrow: true,
    input,
    env: { ...process.env, KUBECONFIG: paths.kubeconfig },
  });
  return run`${binary} ${args}`;
}

/** Like kubectl() but throws with kubectl's own message when it fails. */
export async function kubectlOk(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input);
  if (result.exitCode !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} failed: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout;
}
