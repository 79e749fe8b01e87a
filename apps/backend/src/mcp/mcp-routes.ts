import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { userFromRequest } from '../auth/authenticate.ts';
import type { TokenService } from '../auth/tokens.ts';
import {
  createToolRunner,
  TOOL_NAMES,
  type ToolRunner,
  toolDescriptions,
  toolInputs,
} from '../chat/tools.ts';
import type { ToolAction } from '../db/schema.ts';
import { type ErrorBody, HttpError } from '../http/errors.ts';
import type { TaskService } from '../tasks/task-service.ts';

const SERVER_INFO = { name: 'todo-tasks', version: '1.0.0' };

function toCallToolResult(action: ToolAction): CallToolResult {
  const { result } = action;
  const structured =
    result !== null && typeof result === 'object' && !Array.isArray(result)
      ? { structuredContent: result as Record<string, unknown> }
      : {};
  return {
    content: [{ type: 'text', text: JSON.stringify(result) }],
    ...structured,
    isError: !action.ok,
  };
}

function createMcpServer(run: ToolRunner, log: FastifyBaseLogger): McpServer {
  const server = new McpServer(SERVER_INFO);
  for (const name of TOOL_NAMES) {
    // The strict object itself (not its .shape) keeps additionalProperties: false in the
    // advertised schema and makes the SDK reject unknown fields instead of silently dropping them.
    server.registerTool(
      name,
      { description: toolDescriptions[name], inputSchema: toolInputs[name] },
      async (args: unknown): Promise<CallToolResult> => {
        try {
          return toCallToolResult(await run(name, args));
        } catch (err) {
          // The SDK would echo the raw message (e.g. a database error) to the client.
          log.error({ err, tool: name }, 'MCP tool failed');
          return {
            content: [{ type: 'text', text: 'The tool failed on our side' }],
            isError: true,
          };
        }
      },
    );
  }
  return server;
}

/**
 * Stateless MCP over Streamable HTTP: every POST gets its own server and transport bound to the
 * caller, so no session state is kept and one user's requests can never reach another's tasks.
 */
export async function mcpRoutes(
  app: FastifyInstance,
  { tasks, tokens }: { tasks: TaskService; tokens: TokenService },
) {
  // onRequest rather than preHandler so unauthenticated bodies are never parsed.
  app.addHook('onRequest', async (request, reply) => {
    const userId = await userFromRequest(request, tokens);
    if (userId === undefined) {
      reply.header('www-authenticate', 'Bearer');
      throw new HttpError(
        401,
        'unauthorized',
        'Sign in first: send an Authorization: Bearer token or the session cookie',
      );
    }
    request.userId = userId;
  });

  app.post('/', { schema: { hide: true } }, async (request, reply) => {
    const server = createMcpServer(createToolRunner(tasks, request.userId), request.log);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);

    // The SDK writes to the raw response itself, so Fastify must not send (or run onSend) for it.
    reply.hijack();
    reply.raw.setHeader('x-request-id', request.id);
    reply.raw.on('close', () => {
      // Closing the server closes its transport too.
      server
        .close()
        .catch((err: unknown) => request.log.warn({ err }, 'closing MCP server failed'));
    });
    // Fastify has already consumed and parsed the body, so the SDK must use it instead of the stream.
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });

  const methodNotAllowed = {
    error: 'method_not_allowed',
    message: 'This MCP server is stateless: send JSON-RPC messages with POST',
    details: null,
  } satisfies ErrorBody;
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/',
      schema: { hide: true },
      handler: async (_request, reply) =>
        reply.status(405).header('allow', 'POST').send(methodNotAllowed),
    });
  }
}
