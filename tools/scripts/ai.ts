/**
 * `npx nx run infra:ai -- "why is the backend pod restarting?"`: asks kubectl-ai about the
 * deploy's cluster and namespace. kubectl-ai takes neither --context nor --namespace (see
 * lib/ops/kubectl-ai.ts), so it gets a private kubeconfig of the chart's ops reader: a
 * short-lived token that reads the release's namespace and nothing else, removed afterwards.
 * `--deploy-tools` also mounts the deploy's MCP server (infra:mcp, read-only) into the session.
 * Without a question it starts kubectl-ai's interactive session; kubectl-ai asks before running
 * anything that changes the cluster, and with a question (`--quiet`) it refuses such a command.
 * Not installed: prints how to install it, and the alternatives (kagent, Gordon), and exits 1.
 *
 * Usage: node tools/scripts/ai.ts [--deploy-tools] [--llm-provider=...] [--model=...] [question...]
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx/core';
import { runCommand, UserError } from './lib/command.ts';
import { clusterIdentity, connect } from './lib/kube.ts';
import { info } from './lib/log.ts';
import {
  DEPLOY_TOOLS_FLAG,
  KUBECTL_AI_INSTALL,
  kubectlAiArgs,
  mcpConfigWithDeployTools,
} from './lib/ops/kubectl-ai.ts';
import { opsReaderKubeconfig } from './lib/ops/ops-reader.ts';
import { loadSettings } from './lib/settings.ts';

const SCOPE = 'ai';

/**
 * kubectl-ai reads mcp.yaml (and its config.yaml, tools.yaml) from $XDG_CONFIG_HOME/kubectl-ai:
 * a private copy of the user's, with the deploy's server added, leaves theirs untouched.
 */
async function configWithDeployTools(dir: string): Promise<string> {
  const userDir = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'kubectl-ai');
  const configHome = join(dir, 'config');
  await mkdir(join(configHome, 'kubectl-ai'), { recursive: true });
  for (const file of ['config.yaml', 'tools.yaml']) {
    if (existsSync(join(userDir, file))) {
      await copyFile(join(userDir, file), join(configHome, 'kubectl-ai', file));
    }
  }
  const userMcp = join(userDir, 'mcp.yaml');
  const mcp = mcpConfigWithDeployTools(
    existsSync(userMcp) ? await readFile(userMcp, 'utf8') : undefined,
    process.execPath,
    [join(import.meta.dirname, 'mcp.ts')],
  );
  await writeFile(join(configHome, 'kubectl-ai', 'mcp.yaml'), mcp);
  return configHome;
}

async function main(argv: string[]): Promise<void> {
  if ((await $({ quiet: true, nothrow: true })`command -v kubectl-ai`).exitCode !== 0) {
    throw new UserError(KUBECTL_AI_INSTALL);
  }
  const settings = loadSettings();
  const kube = await connect(settings.kubeContext);
  await clusterIdentity(kube);
  const readerConfig = await opsReaderKubeconfig(kube, settings.namespace, settings.release);
  const deployTools = argv.includes(DEPLOY_TOOLS_FLAG);

  // The file holds a token: a private folder, and gone when we are.
  const dir = await mkdtemp(join(tmpdir(), 'infra-ai-'));
  try {
    await chmod(dir, 0o700);
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, readerConfig, { mode: 0o600 });
    const env = deployTools
      ? { ...process.env, XDG_CONFIG_HOME: await configWithDeployTools(dir) }
      : process.env;
    info(
      SCOPE,
      `kubectl-ai on context ${kube.context}, namespace ${settings.namespace}, as the release's read-only ops reader${deployTools ? ', with the deploy tools (infra:mcp, read-only)' : ''}`,
    );
    const args = kubectlAiArgs(kubeconfig, argv, deployTools);
    // With a question, kubectl-ai reads a stdin that is not a terminal to its end and adds it to
    // the question: under Nx or CI that can be a pipe nobody closes, and it would wait forever.
    const stdin = args.includes('--quiet') ? 'ignore' : 'inherit';
    const result = await $({
      stdio: [stdin, 'inherit', 'inherit'],
      nothrow: true,
      env,
    })`kubectl-ai ${args}`;
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
