/**
 * `npx nx run infra:mcp`: the deploy's MCP server (lib/mcp/deploy-tools.ts) for an assistant:
 * kubectl-ai (`infra:ai -- --deploy-tools`), kagent (infra/kagent), an IDE. Over stdio by
 * default; `--http` serves Streamable HTTP on 127.0.0.1 (stateless: one server per request),
 * answering only requests whose Host header names this machine or an `--allow-host` (kagent in
 * Minikube reaches it as host.minikube.internal). Read-only unless started with `--allow-writes`.
 *
 * Usage: node tools/scripts/mcp.ts [--http [--port=7341] [--host=127.0.0.1] [--allow-host=name ...]] [--allow-writes]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { runCommand, UserError } from './lib/command.ts';
import { helmVersion } from './lib/helm.ts';
import { info } from './lib/log.ts';
import {
  createDeployServer,
  DEFAULT_HTTP_PORT,
  type DeployToolsContext,
} from './lib/mcp/deploy-tools.ts';
import { writeJobs } from './lib/mcp/write-jobs.ts';
import { parseCommandArgs, positiveInt } from './lib/ops/cli.ts';
import { releaseTarget } from './lib/ops/release-target.ts';

const SCOPE = 'mcp';
const USAGE =
  'mcp.ts [--http [--port=7341] [--host=127.0.0.1] [--allow-host=name ...]] [--allow-writes]';
const MAX_BODY_BYTES = 1_000_000;

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new UserError('request body over 1 MB');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function reply(response: ServerResponse, status: number, message: string, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function serveHttp(
  context: DeployToolsContext,
  host: string,
  port: number,
  extraHosts: string[],
) {
  // A page the user's browser opens could otherwise post to a server on localhost.
  const allowedHosts = ['127.0.0.1', 'localhost', host, ...extraHosts].map(
    (name) => `${name}:${port}`,
  );
  const server = createServer(async (request, response) => {
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/mcp') {
      return reply(response, 404, 'the MCP endpoint is /mcp');
    }
    if (request.method !== 'POST') {
      return reply(response, 405, 'stateless server: send JSON-RPC messages with POST', {
        allow: 'POST',
      });
    }
    let body: unknown;
    try {
      body = await readBody(request);
    } catch (error) {
      return reply(response, 400, `unreadable body: ${(error as Error).message}`);
    }
    const mcp = createDeployServer(context);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      enableDnsRebindingProtection: true,
      allowedHosts,
    });
    response.on('close', () => {
      mcp.close().catch(() => undefined);
    });
    await mcp.connect(transport);
    await transport.handleRequest(request, response, body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(`port ${port} is in use: pick another with --port`)
          : error,
      ),
    );
    server.listen(port, host, resolve);
  });
  info(SCOPE, `Streamable HTTP on http://${host}:${port}/mcp (Ctrl-C stops it)`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(USAGE, argv, {
    http: { type: 'boolean', default: false },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'allow-host': { type: 'string', multiple: true, default: [] },
    'allow-writes': { type: 'boolean', default: false },
  });
  if (positionals.length)
    throw new UserError(`unexpected argument ${positionals[0]}; usage: ${USAGE}`);
  if (!values.http && (values.port || values['allow-host']?.length)) {
    throw new UserError(`--port and --allow-host need --http; usage: ${USAGE}`);
  }
  // Over stdio, stdout is the protocol: every progress line goes to stderr.
  if (!values.http) console.log = console.error;
  const [helm, target] = await Promise.all([helmVersion(), releaseTarget(SCOPE)]);
  const context: DeployToolsContext = {
    target,
    helm,
    allowWrites: values['allow-writes'] ?? false,
    jobs: writeJobs(),
  };
  const { ref } = target;
  info(
    SCOPE,
    `release ${ref.release}, namespace ${ref.namespace}, context ${ref.context}; ${context.allowWrites ? 'deploy and rollback allowed' : 'read-only (--allow-writes allows deploy and rollback)'}`,
  );
  if (values.http) {
    await serveHttp(
      context,
      values.host ?? '127.0.0.1',
      positiveInt('--port', values.port) ?? DEFAULT_HTTP_PORT,
      values['allow-host'] ?? [],
    );
    return;
  }
  if (process.stdin.isTTY) {
    info(
      SCOPE,
      'speaking MCP on stdin and stdout, for a client that starts `node tools/scripts/mcp.ts` in this workspace (through `nx run`, Nx adds lines to stdout); for a server to connect to, add --http',
    );
  }
  await createDeployServer(context).connect(new StdioServerTransport());
}

if (import.meta.main) await runCommand(SCOPE, () => main(process.argv.slice(2)));
