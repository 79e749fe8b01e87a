import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDeployServer,
  type DeployToolsContext,
  READ_TOOLS,
  WRITE_TOOLS,
} from '../../lib/mcp/deploy-tools.ts';
import { writeJobs } from '../../lib/mcp/write-jobs.ts';
import type { ReleaseTarget } from '../../lib/ops/release-target.ts';

/** A target whose cluster must never be reached: the tools under test answer without it. */
const unreachable = new Proxy(
  {},
  {
    get: (_target, property) => {
      throw new Error(`the cluster was reached (${String(property)})`);
    },
  },
);
const target = {
  settings: unreachable,
  kube: unreachable,
  detection: unreachable,
  ref: { release: 'todo', namespace: 'shop', context: 'dev' },
} as unknown as ReleaseTarget;

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
});

async function connected(allowWrites: boolean, jobs = writeJobs()) {
  const context: DeployToolsContext = {
    target,
    helm: { major: 4 } as DeployToolsContext['helm'],
    allowWrites,
    jobs,
  };
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createDeployServer(context).connect(serverSide);
  client = new Client({ name: 'unit', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

const call = async (c: Client, name: string, args: Record<string, unknown> = {}) =>
  (await c.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');

describe('the deploy MCP server', () => {
  it('offers the read and write tools, annotated, scoped in their descriptions', async () => {
    const c = await connected(false);
    const { tools } = await c.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    for (const tool of tools) {
      const read = (READ_TOOLS as readonly string[]).includes(tool.name);
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(read);
      if (!read) expect(tool.annotations?.destructiveHint, tool.name).toBe(true);
    }
    const status = tools.find((tool) => tool.name === 'status');
    expect(status?.description).toContain('release todo, namespace shop, context dev');
    expect(c.getInstructions()).toContain('namespace shop of context dev');
  });

  it('refuses each write in one line without the write flag, and starts nothing', async () => {
    const started: string[] = [];
    const jobs = {
      ...writeJobs(),
      start: (kind: string) => {
        started.push(kind);
        return 'started';
      },
    };
    const c = await connected(false, jobs);
    for (const name of WRITE_TOOLS) {
      const result = await call(c, name);
      expect(result.isError, name).toBe(true);
      expect(textOf(result)).toBe(
        `${name} changes the cluster and this server is read-only: restart it with --allow-writes (npx nx run infra:mcp -- --allow-writes) to allow deploy and rollback`,
      );
    }
    expect(started).toEqual([]);
  });

  it('starts a write as a job when allowed, passing the revision', async () => {
    const started: string[][] = [];
    const jobs = {
      ...writeJobs(),
      start: (kind: string, args: string[]) => {
        started.push([kind, ...args]);
        return `${kind} started`;
      },
    };
    const c = await connected(true, jobs);
    expect(textOf(await call(c, 'rollback', { revision: 3 }))).toBe('rollback started');
    expect(textOf(await call(c, 'deploy'))).toBe('deploy started');
    expect(started).toEqual([['rollback', '3'], ['deploy']]);
  });

  it('answers a bad argument with the field, not a stack', async () => {
    const c = await connected(false);
    for (const [name, args, field] of [
      ['logs', { component: 'kernel' }, 'component'],
      ['logs', { tail: 0 }, 'tail'],
      ['events', { limit: 'many' }, 'limit'],
      ['rollback', { revision: -1 }, 'revision'],
      ['logs', { extra: true }, 'extra'],
    ] as const) {
      const result = await call(c, name, args);
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(result)).toContain(field);
      expect(textOf(result)).not.toMatch(/\n\s+at /);
    }
  });

  it('says a since duration is not one, before kubectl runs', async () => {
    const c = await connected(false);
    const result = await call(c, 'logs', { since: 'yesterday' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('--since=yesterday is not a duration: use e.g. 30s, 10m or 2h');
  });
});
