/**
 * kubectl-ai (github.com/GoogleCloudPlatform/kubectl-ai) scoped to the deploy's cluster and
 * namespace. It has no --context or --namespace flag (checked against its cmd/main.go: only
 * --kubeconfig, --quiet, --llm-provider, --model, --mcp-client, ...): it uses the kubeconfig's
 * current context and that context's namespace. So the command hands it a kubeconfig of the
 * chart's ops reader (ops-reader.ts) with the namespace set, rather than the user's own.
 */
import { parse, stringify } from 'yaml';

export const KUBECTL_AI_INSTALL = [
  'kubectl-ai is not installed: `curl -sSL https://raw.githubusercontent.com/GoogleCloudPlatform/kubectl-ai/main/install.sh | bash`',
  '(or `kubectl krew install ai`, or `go install github.com/GoogleCloudPlatform/kubectl-ai/cmd@v0.0.25`), then set GEMINI_API_KEY (or pass --llm-provider=openai with OPENAI_API_KEY) and retry.',
  'Alternatives: kagent (an agent running in the cluster, see infra/kagent/README.md)',
  'and Docker Gordon (`docker ai "..."`, for Dockerfile and image questions, see infra/gordon.md).',
].join(' ');

/** Our flag, not kubectl-ai's: mount the deploy's MCP server (infra:mcp) into the session. */
export const DEPLOY_TOOLS_FLAG = '--deploy-tools';
export const DEPLOY_TOOLS_SERVER = 'todo-chatbot-deploy';

/**
 * Flags (`--model=...`) go to kubectl-ai as they are; the words form the question. With a
 * question it answers once (`--quiet`); without one it opens its interactive session.
 */
export function kubectlAiArgs(kubeconfig: string, argv: string[], deployTools: boolean): string[] {
  const flags = argv.filter((arg) => arg.startsWith('-') && arg !== DEPLOY_TOOLS_FLAG);
  const question = argv
    .filter((arg) => !arg.startsWith('-'))
    .join(' ')
    .trim();
  return [
    '--kubeconfig',
    kubeconfig,
    ...(deployTools ? ['--mcp-client'] : []),
    ...flags,
    ...(question ? ['--quiet', question] : []),
  ];
}

type McpConfig = { servers?: { name: string; [field: string]: unknown }[] };

/**
 * kubectl-ai's mcp.yaml with the deploy's MCP server added (stdio, read-only) to the user's
 * own servers, which are kept; a server of ours from an earlier run is replaced.
 */
export function mcpConfigWithDeployTools(
  userConfig: string | undefined,
  command: string,
  args: string[],
): string {
  const config = ((userConfig && parse(userConfig)) || {}) as McpConfig;
  const servers = (config.servers ?? []).filter((server) => server.name !== DEPLOY_TOOLS_SERVER);
  return stringify({
    ...config,
    servers: [...servers, { name: DEPLOY_TOOLS_SERVER, command, args }],
  });
}
