import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../support/app.ts';

const TOOL_NAMES = ['add_task', 'complete_task', 'delete_task', 'list_tasks', 'update_task'];

function transportFor(t: TestApp, headers: Record<string, string>) {
  return new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers } });
}

describe('MCP server', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.signUp();
    bob = await t.signUp();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => t?.close());

  async function connect(user: TestUser) {
    const client = new Client({ name: 'mcp-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(transportFor(t, { Authorization: `Bearer ${user.token}` }));
    return client;
  }

  async function call(client: Client, name: string, args: Record<string, unknown>) {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const first = result.content[0];
    if (first?.type !== 'text') throw new Error(`expected text content from ${name}`);
    return {
      isError: result.isError ?? false,
      text: first.text,
      structured: result.structuredContent,
    };
  }

  async function addTask(client: Client, args: Record<string, unknown>) {
    const res = await call(client, 'add_task', args);
    expect(res.isError).toBe(false);
    return JSON.parse(res.text) as { id: number; title: string; completed: boolean };
  }

  it('lists exactly the five task tools with their input schemas', async () => {
    const client = await connect(alice);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.description).toBeTruthy();
      expect(tool.inputSchema.type).toBe('object');
    }
    const addTool = tools.find((tool) => tool.name === 'add_task');
    expect(addTool?.inputSchema.required).toEqual(['title']);
    expect(Object.keys(addTool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['title', 'description', 'priority', 'due_date']),
    );
    expect(addTool?.inputSchema.additionalProperties).toBe(false);
    const completeTool = tools.find((tool) => tool.name === 'complete_task');
    expect(completeTool?.inputSchema.required).toEqual(['task_id']);
  });

  it('add_task creates a task the REST API shows to the same user only', async () => {
    const client = await connect(alice);
    const res = await call(client, 'add_task', {
      title: 'Buy milk',
      priority: 'high',
      due_date: '2030-01-02',
    });
    expect(res.isError).toBe(false);
    const created = JSON.parse(res.text);
    expect(created).toMatchObject({
      title: 'Buy milk',
      priority: 'high',
      dueDate: '2030-01-02',
      completed: false,
    });
    expect(res.structured).toEqual(created);

    const mine = await t.request('GET', '/api/tasks', { token: alice.token });
    expect(mine.body.items.map((task: { id: number }) => task.id)).toContain(created.id);
    const theirs = await t.request('GET', '/api/tasks', { token: bob.token });
    expect(theirs.body.items.map((task: { id: number }) => task.id)).not.toContain(created.id);
  });

  it('list_tasks, complete_task, update_task and delete_task work on the caller’s tasks', async () => {
    const client = await connect(alice);
    const task = await addTask(client, { title: 'Write report' });

    const listed = await call(client, 'list_tasks', { search: 'report' });
    expect(listed.isError).toBe(false);
    expect(JSON.parse(listed.text)).toMatchObject({
      total: 1,
      tasks: [{ id: task.id, title: 'Write report' }],
    });

    const completed = await call(client, 'complete_task', { task_id: task.id });
    expect(completed.isError).toBe(false);
    expect(JSON.parse(completed.text)).toMatchObject({ id: task.id, completed: true });
    const active = await call(client, 'list_tasks', { status: 'active', search: 'report' });
    expect(JSON.parse(active.text)).toMatchObject({ total: 0, tasks: [] });

    const updated = await call(client, 'update_task', {
      task_id: task.id,
      title: 'Write final report',
      completed: false,
    });
    expect(updated.isError).toBe(false);
    expect(JSON.parse(updated.text)).toMatchObject({
      id: task.id,
      title: 'Write final report',
      completed: false,
    });
    const viaRest = await t.request('GET', `/api/tasks/${task.id}`, { token: alice.token });
    expect(viaRest.body).toMatchObject({ title: 'Write final report', completed: false });

    const deleted = await call(client, 'delete_task', { task_id: task.id });
    expect(deleted.isError).toBe(false);
    expect(JSON.parse(deleted.text)).toMatchObject({ deleted: { id: task.id } });
    expect((await t.request('GET', `/api/tasks/${task.id}`, { token: alice.token })).status).toBe(
      404,
    );
  });

  it('reports bad arguments as tool errors, not transport errors', async () => {
    const client = await connect(alice);
    for (const [name, args, field] of [
      ['add_task', { title: '' }, 'title'],
      ['add_task', { title: 'ok', colour: 'red' }, 'colour'],
      ['complete_task', { task_id: 'x' }, 'task_id'],
      ['update_task', { task_id: 1, due_date: 'tomorrow' }, 'due_date'],
    ] as const) {
      const res = await call(client, name, args);
      expect(res.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(res.text).toContain(field);
    }
    const missing = await call(client, 'complete_task', { task_id: 999_999 });
    expect(missing).toMatchObject({ isError: true, text: expect.stringContaining('not found') });
  });

  it("never touches another user's task", async () => {
    // Numbers are per user: Bob's task gets a number Alice has no task under.
    const aliceHas = (
      await t.request('GET', '/api/tasks?limit=100', { token: alice.token })
    ).body.items.map((task: { id: number }) => task.id);
    const bobClient = await connect(bob);
    let bobs = await addTask(bobClient, { title: "Bob's secret" });
    while (aliceHas.includes(bobs.id)) bobs = await addTask(bobClient, { title: "Bob's secret" });
    const client = await connect(alice);
    for (const [name, args] of [
      ['complete_task', { task_id: bobs.id }],
      ['update_task', { task_id: bobs.id, title: 'hijacked' }],
      ['delete_task', { task_id: bobs.id }],
    ] as const) {
      const res = await call(client, name, args);
      expect(res.isError, name).toBe(true);
      expect(res.text).toContain(`Task ${bobs.id} not found`);
    }
    const listed = await call(client, 'list_tasks', {});
    expect(JSON.parse(listed.text).tasks.map((task: { id: number }) => task.id)).not.toContain(
      bobs.id,
    );

    const still = await t.request('GET', `/api/tasks/${bobs.id}`, { token: bob.token });
    expect(still.status).toBe(200);
    expect(still.body).toMatchObject({ title: "Bob's secret", completed: false });
  });

  it('rejects connections without a valid token with 401', async () => {
    const missingOrInvalid: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer not-a-token' },
    ];
    for (const headers of missingOrInvalid) {
      const client = new Client({ name: 'mcp-test', version: '1.0.0' });
      const failure = await client.connect(transportFor(t, headers)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(StreamableHTTPError);
      expect((failure as StreamableHTTPError).code).toBe(401);
    }

    const res = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      error: 'unauthorized',
      message: expect.any(String),
      details: null,
    });
  });

  it('accepts the session cookie as well as a Bearer token', async () => {
    const client = new Client({ name: 'mcp-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(transportFor(t, { Cookie: `session=${alice.token}` }));
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(5);
  });

  it('answers GET and DELETE with 405 since the server is stateless', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await t.request(method, '/mcp', {
        token: alice.token,
        headers: { accept: 'text/event-stream' },
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.body).toMatchObject({ error: 'method_not_allowed', details: null });
    }
  });

  it('is hidden from the OpenAPI document', async () => {
    const res = await t.request('GET', '/api/openapi.json');
    expect(Object.keys(res.body.paths).some((path) => path.startsWith('/mcp'))).toBe(false);
  });
});

describe('MCP server when the database fails', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('returns a generic tool error instead of the internal message', async () => {
    t = await startTestApp();
    const user = await t.signUp();
    const client = new Client({ name: 'mcp-test', version: '1.0.0' });
    await client.connect(transportFor(t, { Authorization: `Bearer ${user.token}` }));
    // The tool's query fails (its table is gone); the session check still works.
    await t.database.db.execute(sql`DROP TABLE tasks CASCADE`);
    const result = (await client.callTool({ name: 'list_tasks', arguments: {} })) as CallToolResult;
    expect(result).toEqual({
      content: [{ type: 'text', text: 'The tool failed on our side' }],
      isError: true,
    });
    await client.close();
  });

  it('answers 503 with Retry-After when it cannot check the session, never a 500', async () => {
    t = await startTestApp();
    const user = await t.signUp();
    await t.database.close();
    const res = await t.request('POST', '/mcp', {
      token: user.token,
      headers: { accept: 'application/json, text/event-stream' },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toEqual({
      error: 'unavailable',
      message: 'The database is unreachable right now; retry in a moment',
      details: null,
    });
  });
});
