/**
 * kubectl-ai (github.com/GoogleCloudPlatform/kubectl-ai) scoped to the deploy's cluster and
 * namespace. It has no --context or --namespace flag (checked against its cmd/main.go: only
 * --kubeconfig, --quiet, --llm-provider, --model, ...): it uses the kubeconfig's current
 * context and that context's namespace. So the command hands it a minified kubeconfig of just
 * the deploy's context, with the namespace set, rather than touching the user's own.
 */

export const KUBECTL_AI_INSTALL = [
  'kubectl-ai is not installed: `curl -sSL https://raw.githubusercontent.com/GoogleCloudPlatform/kubectl-ai/main/install.sh | bash`',
  '(or `kubectl krew install ai`), then set GEMINI_API_KEY (or pass --llm-provider=openai with OPENAI_API_KEY) and retry.',
  'Alternatives: kagent (an agent running in the cluster: `kagent invoke --agent k8s-agent --task "..."`)',
  'and Docker Gordon (`docker ai "..."`, for Dockerfile and image questions). See tools/scripts/README.md#operations.',
].join(' ');

type Kubeconfig = {
  'current-context'?: string;
  contexts?: { name: string; context: Record<string, unknown> }[];
};

/** From `kubectl config view --minify --flatten --context <ctx> -o json`: pinned to namespace. */
export function scopedKubeconfig(minified: string, context: string, namespace: string): string {
  const config = JSON.parse(minified) as Kubeconfig;
  config['current-context'] = context;
  config.contexts = (config.contexts ?? []).map((entry) =>
    entry.name === context ? { ...entry, context: { ...entry.context, namespace } } : entry,
  );
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Flags (`--model=...`) go to kubectl-ai as they are; the words form the question. With a
 * question it answers once (`--quiet`); without one it opens its interactive session.
 */
export function kubectlAiArgs(kubeconfig: string, argv: string[]): string[] {
  const flags = argv.filter((arg) => arg.startsWith('-'));
  const question = argv
    .filter((arg) => !arg.startsWith('-'))
    .join(' ')
    .trim();
  return ['--kubeconfig', kubeconfig, ...flags, ...(question ? ['--quiet', question] : [])];
}
