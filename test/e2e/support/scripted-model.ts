/**
 * The one test double of the AI tests: an OpenAI-compatible chat completions server
 * (`/v1/chat/completions`, streamed or not) whose answers follow a script instead of a model.
 * kubectl-ai, its kubeconfig, its MCP client, our MCP server and the cluster are all real;
 * the script decides which tool the "model" calls next, and the server keeps every request, so
 * a test reads what the tools answered (the tool results kubectl-ai sends back).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatMessage = {
  role: string;
  content?: string | { type: string; text?: string }[] | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
};
export type ChatRequest = {
  model: string;
  stream?: boolean;
  messages: ChatMessage[];
  tools?: { type: string; function: { name: string } }[];
};
export type ToolCall = { name: string; arguments: Record<string, unknown> };
/** What the "model" says next: tool calls, or its final words. */
export type Turn = { toolCalls: ToolCall[] } | { text: string };
/** `step`: how many times the model has already answered in this conversation. */
export type Script = (request: ChatRequest, step: number) => Turn;

export type ScriptedModel = {
  /** For OPENAI_ENDPOINT: `http://127.0.0.1:<port>/v1`. */
  endpoint: string;
  requests: ChatRequest[];
  /** What the "model" answered, in order. */
  replies: Turn[];
  /** The results of tool calls kubectl-ai sent back, in order, as text. */
  toolResults: () => string[];
  close: () => Promise<void>;
};

const textOf = (content: ChatMessage['content']) =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');

function completion(turn: Turn, model: string, step: number) {
  const message =
    'text' in turn
      ? { role: 'assistant', content: turn.text }
      : {
          role: 'assistant',
          content: null,
          tool_calls: turn.toolCalls.map((call, index) => ({
            id: `call_${step}_${index}`,
            type: 'function',
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        };
  return {
    id: `scripted-${step}`,
    created: Math.floor(Date.now() / 1000),
    model,
    message,
    finish: 'text' in turn ? 'stop' : 'tool_calls',
  };
}

export async function startScriptedModel(script: Script): Promise<ScriptedModel> {
  const requests: ChatRequest[] = [];
  const replies: Turn[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `no route ${request.url}` } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
    requests.push(body);
    const step = body.messages.filter((message) => message.role === 'assistant').length;
    const { id, created, model, message, finish } = completion(
      script(body, step),
      body.model,
      step,
    );
    if (!body.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message, finish_reason: finish }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: object, finishReason: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    const delta = message.tool_calls
      ? {
          role: 'assistant',
          tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })),
        }
      : { role: 'assistant', content: message.content };
    response.write(chunk(delta, null));
    response.write(chunk({}, finish));
    response.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1`,
    requests,
    replies,
    toolResults: () => {
      const last = requests.at(-1);
      return (last?.messages ?? [])
        .filter((message) => message.role === 'tool')
        .map((message) => textOf(message.content));
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A kubectl-ai that never exited keeps its connection open.
        server.closeAllConnections();
      }),
  };
}
