/**
 * infra/kagent's manifests against the kagent.dev/v1alpha2 schema (support/kagent-crds.yaml)
 * on the test cluster's API server: accepted as written with strict field validation, a
 * mistake refused with the field named, and pointed at what infra:mcp really serves.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_HTTP_PORT, READ_TOOLS, WRITE_TOOLS } from '@todo/scripts/lib/mcp/deploy-tools.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { kubectl, kubectlOk } from '../cluster/lib/kubectl.ts';

const MANIFESTS = join(import.meta.dirname, '..', '..', 'infra', 'kagent');
const CRDS = join(import.meta.dirname, 'support', 'kagent-crds.yaml');
const NAMESPACE = 'kagent';

type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, any> };

async function manifests(): Promise<Manifest[]> {
  const files = (await readdir(MANIFESTS)).filter((file) => file.endsWith('.yaml'));
  const texts = await Promise.all(files.map((file) => readFile(join(MANIFESTS, file), 'utf8')));
  return texts.flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as Manifest));
}

const dryRun = (objects: Manifest[]) =>
  kubectl(
    ['apply', '--dry-run=server', '--validate=strict', '-f', '-'],
    objects.map((object) => stringify(object)).join('---\n'),
  );

beforeAll(async () => {
  await kubectlOk(['apply', '-f', CRDS]);
  await kubectlOk([
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/agents.kagent.dev',
    'crd/remotemcpservers.kagent.dev',
  ]);
  await kubectl(['create', 'namespace', NAMESPACE]);
});

afterAll(async () => {
  await kubectl(['delete', 'namespace', NAMESPACE, '--wait=false', '--ignore-not-found']);
  await kubectl(['delete', '-f', CRDS, '--ignore-not-found']);
});

describe('kagent manifests', () => {
  it('are accepted as written (server-side dry run, strict field validation)', async () => {
    const objects = await manifests();
    expect(objects.map((object) => object.kind).sort()).toEqual(['Agent', 'RemoteMCPServer']);
    const result = await dryRun(objects);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('agent.kagent.dev/todo-chatbot-ops created (server dry run)');
    expect(result.stdout).toContain(
      'remotemcpserver.kagent.dev/todo-chatbot-deploy created (server dry run)',
    );
  });

  it('refuse a mistake with the field named', async () => {
    const objects = await manifests();
    const edited = (kind: string, edit: (spec: Record<string, any>) => void) =>
      objects.map((object) => {
        if (object.kind !== kind) return object;
        const copy = structuredClone(object);
        edit(copy.spec);
        return copy;
      });
    const cases: [Manifest[], RegExp][] = [
      [
        edited('RemoteMCPServer', (spec) => (spec.protocol = 'HTTP')),
        /spec\.protocol: Unsupported value: "HTTP"/,
      ],
      [
        edited('RemoteMCPServer', (spec) => (spec.tls = { disableVerify: true })),
        /spec\.tls must be unset/,
      ],
      [
        edited('Agent', (spec) => (spec.declarative.tool = [])),
        /unknown field "spec\.declarative\.tool"/,
      ],
      [edited('Agent', (spec) => delete spec.declarative), /declarative must be specified/],
      [
        edited('Agent', (spec) => delete spec.declarative.tools[0].mcpServer.name),
        /spec\.declarative\.tools\[0\]\.mcpServer\.name: Required value/,
      ],
    ];
    for (const [objects, message] of cases) {
      const result = await dryRun(objects);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(message);
    }
  });

  it('point at what infra:mcp serves: its port, its path, its read tools', async () => {
    const objects = await manifests();
    const server = objects.find((object) => object.kind === 'RemoteMCPServer');
    const url = new URL(server?.spec.url);
    expect(url.port).toBe(String(DEFAULT_HTTP_PORT));
    expect(url.pathname).toBe('/mcp');
    expect(server?.spec.protocol).toBe('STREAMABLE_HTTP');
    const agent = objects.find((object) => object.kind === 'Agent');
    const [tool] = agent?.spec.declarative.tools ?? [];
    expect(tool.mcpServer.name).toBe(server?.metadata.name);
    expect([...tool.mcpServer.toolNames].sort()).toEqual([...READ_TOOLS].sort());
    for (const write of WRITE_TOOLS) expect(tool.mcpServer.toolNames).not.toContain(write);
  });
});
