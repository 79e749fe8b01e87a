import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/chat/tools.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/app.ts';

interface ChatMessage {
  role: string;
  content?: string | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

interface ProviderRequest {
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    messages: ChatMessage[];
    tools: { type: string; function: { name: string; parameters: Record<string, unknown> } }[];
  };
}

const completion = (message: Record<string, unknown>) => ({
  id: 'chatcmpl-test',
  object: 'chat.completion',
  created: 0,
  model: 'test-model',
  choices: [
    {
      index: 0,
      finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
      message: { role: 'assistant', content: null, ...message },
    },
  ],
});

const toolCall = (name: string, args: string) =>
  completion({
    tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: args } }],
  });

/**
 * A stand-in for an OpenAI-compatible provider, scripted by the latest user message:
 * "add ..." creates a task and then confirms it, "garbled" sends arguments that are not JSON,
 * "loop" never stops calling tools, "fail" answers 500, "hang" never answers at all.
 */
async function startProvider() {
  const requests: ProviderRequest[] = [];
  const server: Server = createServer(async (req, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as ProviderRequest['body'];
    requests.push({ path: req.url, headers: req.headers, body });
    const lastUser = body.messages.findLastIndex((m) => m.role === 'user');
    const said = body.messages[lastUser]?.content ?? '';
    const toolResult = body.messages.slice(lastUser).find((m) => m.role === 'tool');
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (said === 'hang') return;
    if (said === 'fail') return send(500, { error: { message: 'provider exploded' } });
    if (said === 'loop') return send(200, toolCall('list_tasks', '{}'));
    if (said === 'garbled') {
      return send(
        200,
        toolResult
          ? completion({ content: 'That went wrong.' })
          : toolCall('add_task', '{"title": "bu'),
      );
    }
    if (said.startsWith('add ')) {
      if (!toolResult)
        return send(200, toolCall('add_task', JSON.stringify({ title: said.slice(4) })));
      const task = JSON.parse(toolResult.content ?? '{}');
      return send(200, completion({ content: `Added "${task.title}" as #${task.id}.` }));
    }
    return send(200, completion({ content: `You said: ${said}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    /** The requests made for one user message. */
    requestsFor: (message: string) =>
      requests.filter(
        (r) => r.body.messages.findLast((m) => m.role === 'user')?.content === message,
      ),
    close() {
      // Hanging requests keep their sockets open; close() alone would wait for them forever.
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function localToday() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

describe('chat with an OpenAI-compatible provider', () => {
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    provider = await startProvider();
    t = await startTestApp({
      env: {
        LLM_PROVIDER: 'custom',
        LLM_BASE_URL: provider.baseURL,
        LLM_MODEL: 'test-model',
        LLM_API_KEY: 'k',
      },
    });
    user = await t.signUp();
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  const chat = (message: string, conversationId?: number) =>
    t.request('POST', '/api/chat', { token: user.token, body: { message, conversationId } });

  it('runs the tool calls the model asks for and returns its final answer', async () => {
    const res = await chat('add buy milk');
    expect(res.status).toBe(200);
    expect(res.body.actions).toMatchObject([
      {
        tool: 'add_task',
        ok: true,
        arguments: { title: 'buy milk' },
        result: { title: 'buy milk' },
      },
    ]);
    const taskId = res.body.actions[0].result.id;
    expect(res.body.reply).toBe(`Added "buy milk" as #${taskId}.`);
    const tasks = await t.request('GET', '/api/tasks', { token: user.token });
    expect(tasks.body.items).toMatchObject([{ id: taskId, title: 'buy milk' }]);

    const [first, second] = provider.requestsFor('add buy milk');
    expect(provider.requestsFor('add buy milk')).toHaveLength(2);
    expect(first?.path).toBe('/v1/chat/completions');
    expect(first?.headers.authorization).toBe('Bearer k');
    expect(first?.body.model).toBe('test-model');
    expect(first?.body.tools.map((tool) => tool.function.name).sort()).toEqual(
      [...TOOL_NAMES].sort(),
    );
    for (const tool of first?.body.tools ?? []) {
      expect(tool.type).toBe('function');
      expect(tool.function.parameters).toMatchObject({
        type: 'object',
        properties: expect.any(Object),
      });
      expect(tool.function.parameters).not.toHaveProperty('$schema');
    }
    expect(
      first?.body.tools.find((tool) => tool.function.name === 'add_task')?.function.parameters,
    ).toMatchObject({ required: ['title'] });
    expect(first?.body.messages[0]?.role).toBe('system');
    expect(first?.body.messages[0]?.content).toContain(localToday());
    expect(first?.body.messages.at(-1)).toEqual({ role: 'user', content: 'add buy milk' });

    expect(second?.body.messages.slice(-2)).toMatchObject([
      { role: 'assistant', tool_calls: [{ id: 'call_1', function: { name: 'add_task' } }] },
      { role: 'tool', tool_call_id: 'call_1' },
    ]);
    expect(JSON.parse(second?.body.messages.at(-1)?.content ?? '')).toMatchObject({
      id: taskId,
      title: 'buy milk',
    });

    // The next turn of the same conversation carries the earlier one as history.
    const next = await chat('thanks', res.body.conversationId);
    expect(next.body.reply).toBe('You said: thanks');
    expect(provider.requestsFor('thanks')[0]?.body.messages.slice(1)).toEqual([
      { role: 'user', content: 'add buy milk' },
      { role: 'assistant', content: res.body.reply },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('records tool arguments that are not JSON as a failed action and tells the model', async () => {
    const res = await chat('garbled');
    expect(res.status).toBe(200);
    expect(res.body.reply).toBe('That went wrong.');
    expect(res.body.actions).toMatchObject([{ tool: 'add_task', ok: false }]);
    const followUp = provider.requestsFor('garbled')[1];
    expect(followUp?.body.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(followUp?.body.messages.at(-1)?.content).toContain('not valid JSON');
  });

  it('stops a model that keeps calling tools', async () => {
    const res = await chat('loop');
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/stopped after 5 rounds/);
    expect(res.body.actions).toHaveLength(5);
    expect(provider.requestsFor('loop')).toHaveLength(5);
  });

  it('turns a provider error into an assistant message and keeps the user message', async () => {
    const res = await chat('fail');
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/unavailable right now/);
    expect(res.body.reply).toContain('custom:test-model');
    // One retry, then the turn gives up.
    expect(provider.requestsFor('fail')).toHaveLength(2);
    const conversation = await t.request('GET', `/api/conversations/${res.body.conversationId}`, {
      token: user.token,
    });
    expect(conversation.body.messages).toMatchObject([
      { role: 'user', content: 'fail' },
      { role: 'assistant', content: res.body.reply, actions: [] },
    ]);
  });

  describe('that never answers', () => {
    let slow: TestApp;
    beforeAll(async () => {
      slow = await startTestApp({
        env: {
          LLM_PROVIDER: 'custom',
          LLM_BASE_URL: provider.baseURL,
          LLM_MODEL: 'test-model',
          LLM_TIMEOUT_MS: '500',
        },
      });
    });
    afterAll(() => slow?.close());

    it('answers within the timeout and keeps the user message', async () => {
      const someone = await slow.signUp();
      const started = Date.now();
      const res = await slow.request('POST', '/api/chat', {
        token: someone.token,
        body: { message: 'hang' },
      });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.status).toBe(200);
      expect(res.body.reply).toMatch(/did not answer within/);
      expect(res.body.actions).toEqual([]);
      const conversation = await slow.request(
        'GET',
        `/api/conversations/${res.body.conversationId}`,
        { token: someone.token },
      );
      expect(conversation.body.messages).toMatchObject([
        { role: 'user', content: 'hang' },
        { role: 'assistant', content: res.body.reply },
      ]);
    });
  });
});
