/**
 * `npx nx run infra:ai -- "why is the backend pod restarting?"`: asks kubectl-ai about the
 * deploy's cluster and namespace. kubectl-ai takes neither --context nor --namespace (see
 * lib/ops/kubectl-ai.ts), so it gets a private, minified kubeconfig holding only the deploy's
 * context with the namespace set, removed afterwards. Without a question it starts kubectl-ai's
 * interactive session. kubectl-ai asks before running anything that changes the cluster.
 * Not installed: prints how to install it, and the alternatives (kagent, Gordon), and exits 1.
 *
 * Usage: node tools/scripts/ai.ts [--llm-provider=...] [--model=...] [question...]
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx/core';
import { runCommand, UserError } from './lib/command.ts';
import { clusterIdentity, connect } from './lib/kube.ts';
import { info } from './lib/log.ts';
import { KUBECTL_AI_INSTALL, kubectlAiArgs, scopedKubeconfig } from './lib/ops/kubectl-ai.ts';
import { loadSettings } from './lib/settings.ts';

const SCOPE = 'ai';

async function main(argv: string[]): Promise<void> {
  if ((await $({ quiet: true, nothrow: true })`command -v kubectl-ai`).exitCode !== 0) {
    throw new UserError(KUBECTL_AI_INSTALL);
  }
  const settings = loadSettings();
  const kube = await connect(settings.kubeContext);
  await clusterIdentity(kube);
  const minified = await kube.run(['config', 'view', '--minify', '--flatten', '-o', 'json']);

  // The file holds the context's credentials: a private folder, and gone when we are.
  const dir = await mkdtemp(join(tmpdir(), 'infra-ai-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, scopedKubeconfig(minified, kube.context, settings.namespace), {
      mode: 0o600,
    });
    await chmod(dir, 0o700);
    info(SCOPE, `kubectl-ai on context ${kube.context}, namespace ${settings.namespace}`);
    const args = kubectlAiArgs(kubeconfig, argv);
    const result = await $({ stdio: 'inherit', nothrow: true })`kubectl-ai ${args}`;
    if (result.exitCode !== 0 && result.exitCode !== 130) {
      throw new UserError(
        `kubectl-ai failed (exit ${result.exitCode}), its message is above; is its model configured (GEMINI_API_KEY, or --llm-provider=openai with OPENAI_API_KEY)?`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await runCommand(SCOPE, () => main(process.argv.slice(2)));
