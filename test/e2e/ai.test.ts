/**
 * AI operations on the test cluster, end to end (issue 19): `infra:ai` runs the real kubectl-ai
 * (built from its Go module by the test cluster's tooling) through the chart's ops reader, and
 * `infra:mcp` serves the deploy's tools to the official MCP client, over stdio and Streamable
 * HTTP, and to kubectl-ai's MCP client. The model is the only double (support/scripted-model.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { READ_TOOLS, WRITE_TOOLS } from '@todo/scripts/lib/mcp/deploy-tools.ts';
import { poll } from '@todo/scripts/lib/poll.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { binDir } from '../cluster/lib/config.ts';
import { RELEASE } from './support/deploy-env.ts';
import { type Script, type ScriptedModel, startScriptedModel } from './support/scripted-model.ts';
import { deploySuite } from './support/suite.ts';

const NAMESPACE = 'todo-e2e-ai';
const ANSWER_BUDGET_MS = 2000;

const suite = deploySuite(NAMESPACE, 'auto');
const { pods } = suite.view;
let env: Record<string, string>;
let jwtSecret: string;
/** Each MCP tool's answer time on the test cluster, for test/README.md. */
const answerMs: Record<string, number> = {};

beforeAll(async () => {
  await suite.deploy('ai: cold deploy');
  // The test cluster's tooling builds kubectl-ai next to the cluster's own binaries.
  env = { ...(process.env as Record<string, string>), ...suite.env };
  env.PATH = `${binDir}:${env.PATH}`;
  const dotenv = await readFile(suite.env.DEPLOY_ENV_FILE ?? '', 'utf8');
  jwtSecret = /JWT_SECRET=(\S+)/.exec(dotenv)?.[1] ?? '';
  expect(jwtSecret).toHaveLength(64);
}, 600_000);

afterAll(async () => {
  const dir = join(import.meta.dirname, '..', 'test-results', 'e2e');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'mcp-answers.json'), `${JSON.stringify(answerMs, null, 2)}\n`);
  console.log('MCP answer times (ms):', answerMs);
});

const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');

async function timedCall(client: Client, name: string, args: Record<string, unknown> = {}) {
  const started = performance.now();
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { result, text: textOf(result), ms: performance.now() - started };
}

describe('the deploy MCP server (infra:mcp)', () => {
  let client: Client;
  const stderr: string[] = [];

  beforeAll(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['tools/scripts/mcp.ts'],
      cwd: suite.scratch.root,
      env,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists its tools, marking which only read', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(
        (READ_TOOLS as readonly string[]).includes(tool.name),
      );
    }
  });

  it('answers every read tool within 2 s, about this release only, without a secret value', async () => {
    const backend = (await pods('backend'))[0]?.metadata.name ?? '';
    const answers = {
      status: await timedCall(client, 'status'),
      why: await timedCall(client, 'why'),
      logs: await timedCall(client, 'logs', { component: 'backend', tail: 20 }),
      events: await timedCall(client, 'events', { limit: 50 }),
      diff: await timedCall(client, 'diff'),
    };
    const report = Object.entries(answers)
      .map(([name, { ms, text }]) => `--- ${name} (${ms.toFixed(0)} ms)\n${text}`)
      .join('\n');
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.result.isError, `${name}:\n${report}\n${stderr.join('')}`).toBeFalsy();
      expect(answer.ms, `${name} answered in ${answer.ms.toFixed(0)} ms\n${report}`).toBeLessThan(
        ANSWER_BUDGET_MS,
      );
      expect(answer.text, name).not.toContain(jwtSecret);
    }
    expect(answers.status.text).toMatch(new RegExp(`release ${RELEASE} .*revision 1, deployed`));
    expect(answers.status.text).toContain(backend);
    expect(answers.why.text).toMatch(/infra:helm-deploy\s+installed/);
    expect(answers.logs.text).toContain(`[pod/${backend}/`);
    expect(answers.events.text).toMatch(new RegExp(`Scheduled Pod/${backend}`));
    expect(answers.diff.text).toContain('deploy: nothing to do');
    expect(answers.diff.text).toContain('live: every object the release applied is as applied');
    for (const [name, answer] of Object.entries(answers)) answerMs[name] = Math.round(answer.ms);
  });

  it('refuses deploy and rollback in one line, at once, when not started with --allow-writes', async () => {
    for (const name of WRITE_TOOLS) {
      const answer = await timedCall(client, name);
      expect(answer.result.isError, name).toBe(true);
      expect(answer.text.split('\n'), name).toHaveLength(1);
      expect(answer.text).toMatch(new RegExp(`^${name} changes the cluster.*--allow-writes`));
      expect(answer.ms).toBeLessThan(ANSWER_BUDGET_MS);
      answerMs[name] = Math.round(answer.ms);
    }
    const status = await timedCall(client, 'status');
    expect(status.text).toMatch(/revision 1/);
  });

  it('diff: a changed value shows as the upgrade it would cause, field by field', async () => {
    const values = 'dist/ai-diff-values.yaml';
    await writeFile(join(suite.scratch.root, values), 'backend:\n  replicaCount: 2\n');
    const changed = new Client({ name: 'e2e-diff', version: '1.0.0' });
    await changed.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['tools/scripts/mcp.ts'],
        cwd: suite.scratch.root,
        env: { ...env, DEPLOY_VALUES: `${env.DEPLOY_VALUES},${values}` },
        stderr: 'pipe',
      }),
    );
    try {
      const diff = await timedCall(changed, 'diff');
      expect(diff.result.isError, diff.text).toBeFalsy();
      expect(diff.text).toMatch(
        /^deploy: would upgrade: revision 1 was deployed from other inputs/,
      );
      expect(diff.text).toContain(`~ Deployment/${RELEASE}-todo-chatbot-backend:`);
      expect(diff.text).toContain('spec.replicas: deployed 1, desired 2');
      expect(diff.text).toContain(
        `+ PodDisruptionBudget/${RELEASE}-todo-chatbot-backend: would be created`,
      );
      expect(diff.text).not.toContain(jwtSecret);
      expect(diff.ms).toBeLessThan(ANSWER_BUDGET_MS);
    } finally {
      await changed.close();
    }
  });

  it('names the field of a bad argument instead of failing', async () => {
    const answer = await timedCall(client, 'logs', { component: 'kernel' });
    expect(answer.result.isError).toBe(true);
    expect(answer.text).toContain('component');
    expect(answer.text).not.toMatch(/\n\s+at /);
  });
});

describe('infra:mcp over Streamable HTTP', () => {
  it('runs a write as a job that `why` follows, and refuses a foreign Host', async () => {
    const port = 17_341;
    const server = $({
      cwd: suite.scratch.root,
      env,
      nothrow: true,
      quiet: true,
    })`node tools/scripts/mcp.ts --http --port ${port} --allow-writes`;
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await poll(async () => (output.includes('Streamable HTTP on') ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 200,
        timeoutMessage: () => `infra:mcp --http did not start:\n${output}`,
      });
      const url = `http://127.0.0.1:${port}/mcp`;
      // What a page on another site gets when its name resolves to this machine (DNS rebinding).
      const foreign = await new Promise<number | undefined>((resolve, reject) => {
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/mcp',
            method: 'POST',
            headers: {
              host: `attacker.example:${port}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      });
      expect(foreign).toBe(403);

      const client = new Client({ name: 'e2e-http', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const started = await timedCall(client, 'rollback');
      expect(started.result.isError).toBeFalsy();
      expect(started.text).toMatch(/^rollback started/);
      expect(started.ms).toBeLessThan(ANSWER_BUDGET_MS);
      // A cold install has one revision: the real rollback command says so, and `why` relays it.
      const why = await poll(
        async () => {
          const answer = await timedCall(client, 'why');
          return /rollback started here .*: failed \(exit 1\)/.test(answer.text)
            ? answer
            : undefined;
        },
        {
          timeoutMs: 60_000,
          intervalMs: 500,
          timeoutMessage: () => 'the rollback job never ended',
        },
      );
      expect(why.text).toContain('has only revision 1: there is nothing to roll back to');
      await client.close();
    } finally {
      server.kill();
      await server;
    }
  });
});

describe('infra:ai with the real kubectl-ai', () => {
  let model: ScriptedModel | undefined;
  afterAll(async () => {
    await model?.close();
  });

  /**
   * kubectl-ai v0.0.25 can hang after its last answer: its terminal UI (pkg/ui/terminal.go)
   * may handle the agent's last message before the agent's state reads "exited", and then waits
   * for another that never comes. So each run is bounded, and one stopped by the bound counts
   * as finished only when its conversation had ended (the model's last turn was its answer).
   */
  async function ask(script: Script, flags: string[], question: string) {
    await model?.close();
    model = await startScriptedModel(script);
    const run = await $({
      cwd: suite.scratch.root,
      env: { ...env, OPENAI_API_KEY: 'scripted', OPENAI_ENDPOINT: model.endpoint },
      nothrow: true,
      quiet: true,
      timeout: '60s',
    })`node tools/scripts/ai.ts --llm-provider=openai --model=scripted ${flags} ${question}`;
    const last = model.replies.at(-1);
    const stopped = run.exitCode !== 0 && run.signal === 'SIGTERM';
    if (stopped) {
      // The bound stopped ai.ts; its kubectl-ai and private folder outlive it.
      await $({ nothrow: true, quiet: true })`pkill -x kubectl-ai`;
      await $({ nothrow: true, quiet: true })`rm -rf ${tmpdir()}/infra-ai-*`;
    }
    const finished = run.exitCode === 0 || (stopped && last !== undefined && 'text' in last);
    return { run, output: `${run.stdout}${run.stderr}`, model, finished };
  }

  const kubectl = (command: string, modifies = 'no') => ({
    name: 'kubectl',
    arguments: { command, modifies_resource: modifies },
  });

  it("reads the release's namespace as the ops reader, and nothing else", async () => {
    const backend = (await pods('backend'))[0]?.metadata.name ?? '';
    const steps = [
      kubectl('kubectl get pods -o name'),
      kubectl('kubectl get pods --namespace kube-system'),
      kubectl('kubectl get secrets'),
    ];
    const { finished, output, model } = await ask(
      (_request, step) => {
        const call = steps[step];
        return call ? { toolCalls: [call] } : { text: 'read done' };
      },
      [],
      'what runs here?',
    );
    expect(finished, output).toBe(true);
    expect(output).toContain(`namespace ${NAMESPACE}, as the release's read-only ops reader`);
    expect(output).toContain('read done');
    const [own, other, secrets] = model.toolResults();
    expect(own).toContain(`pod/${backend}`);
    expect(other).toMatch(
      /forbidden.*cannot list resource \\?"pods\\?".*namespace \\?"kube-system\\?"/i,
    );
    expect(secrets).toMatch(/forbidden.*cannot list resource \\?"secrets\\?"/i);
    expect(JSON.stringify(model.requests)).not.toContain(jwtSecret);
  });

  it('does not run a mutating command without approval, and the reader cannot run one anyway', async () => {
    const [before] = await pods('backend');
    const victim = before?.metadata.name ?? '';
    const deletion = (_request: unknown, step: number) =>
      step === 0
        ? { toolCalls: [kubectl(`kubectl delete pod ${victim}`, 'yes')] }
        : { text: 'deleted?' };

    const quiet = await ask(deletion, [], 'delete the backend pod');
    expect(quiet.output).toContain('require approval');
    expect(quiet.output).toContain(`kubectl delete pod ${victim}`);
    // kubectl-ai stopped before running it: the model was asked once and got no tool result.
    expect(quiet.model.requests).toHaveLength(1);

    const skipped = await ask(deletion, ['--skip-permissions'], 'delete the backend pod');
    expect(skipped.finished, skipped.output).toBe(true);
    expect(skipped.model.toolResults()[0]).toMatch(
      /forbidden.*cannot delete resource \\?"pods\\?"/i,
    );

    const [after] = await pods('backend');
    expect(after?.metadata.uid).toBe(before?.metadata.uid);
  });

  it("calls the deploy's MCP tools through kubectl-ai's MCP client (--deploy-tools)", async () => {
    const toolNamed = (tools: { function: { name: string } }[] | undefined, suffix: string) =>
      tools?.map((tool) => tool.function.name).find((name) => name.endsWith(suffix)) ?? suffix;
    const { finished, output, model } = await ask(
      (request, step) =>
        step === 0
          ? { toolCalls: [{ name: toolNamed(request.tools, 'status'), arguments: {} }] }
          : step === 1
            ? { toolCalls: [{ name: toolNamed(request.tools, 'deploy'), arguments: {} }] }
            : { text: 'tools done' },
      ['--deploy-tools', '--skip-permissions'],
      'how is the release?',
    );
    expect(finished, output).toBe(true);
    expect(output).toContain('with the deploy tools (infra:mcp, read-only)');
    const names = model.requests[0]?.tools?.map((tool) => tool.function.name) ?? [];
    for (const tool of [...READ_TOOLS, ...WRITE_TOOLS]) {
      expect(
        names.some((name) => name.endsWith(tool)),
        `${tool} in ${names.join(', ')}`,
      ).toBe(true);
    }
    const [status, deploy] = model.toolResults();
    expect(status).toMatch(new RegExp(`${RELEASE}.*revision 1`));
    expect(deploy).toContain('deploy changes the cluster and this server is read-only');
    expect(output).toContain('tools done');
  });
});
