/** kubectl v1.33 (the project's pinned copy) against the test cluster's admin kubeconfig. */
import { $ } from 'zx';
import { ensureKubeTools } from '../../../tools/scripts/lib/kube-tools.ts';
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
