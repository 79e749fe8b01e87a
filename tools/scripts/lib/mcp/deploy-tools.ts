/**
 * The deploy's MCP server: what an assistant may ask about the release (status, why the last
 * deploy did what it did, logs, events, the diff between what the inputs would deploy and what
 * runs) and, only when the server was started with writes allowed, what it may do (deploy,
 * roll back). Every tool acts on the deploy's own context and namespace; no tool takes one.
 * Writes run as background jobs, so every tool answers at once; `why` follows a running job.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { UserError } from '../command.ts';
import { CHART_DIR, desiredRelease, requiredSecrets, valuesDocument } from '../deploy-inputs.ts';
import { type HelmVersion, templateArgs } from '../helm.ts';
import { readJsonRecord } from '../image-record.ts';
import { COMPONENTS, checkSince, logsArgs, resolveComponents } from '../ops/logs.ts';
import { releaseStatus } from '../ops/release-status.ts';
import type { ReleaseTarget } from '../ops/release-target.ts';
import { manifestObjects } from '../release-drift.ts';
import { renderChart } from '../release-fit.ts';
import { fetchLiveRelease } from '../release-live.ts';
import { decideRelease } from '../release-state.ts';
import { REPORT_PATH } from '../report.ts';
import {
  type ClusterEvent,
  type DeployReport,
  eventLines,
  type K8sObject,
  objectDiff,
  tail,
  whyLines,
} from './answers.ts';
import type { WriteJobs } from './write-jobs.ts';

export const SERVER_INFO = { name: 'todo-chatbot-deploy', version: '1.0.0' };
/** What `infra:mcp --http` listens on unless told otherwise (infra/kagent points here). */
export const DEFAULT_HTTP_PORT = 7341;
export const READ_TOOLS = ['status', 'why', 'logs', 'events', 'diff'] as const;
export const WRITE_TOOLS = ['deploy', 'rollback'] as const;
/** About 5,000 tokens: enough lines to see a failure, little enough to leave room for thought. */
const MAX_ANSWER_CHARS = 20_000;

export type DeployToolsContext = {
  target: ReleaseTarget;
  helm: HelmVersion;
  allowWrites: boolean;
  jobs: WriteJobs;
};

const text = (lines: string[] | string, isError = false): CallToolResult => ({
  content: [{ type: 'text', text: Array.isArray(lines) ? lines.join('\n') : lines }],
  ...(isError ? { isError: true } : {}),
});

/** A mistake of the caller or a state of the cluster reads as an answer, never a stack. */
function answering<A>(work: (args: A) => Promise<CallToolResult>) {
  return async (args: A): Promise<CallToolResult> => {
    try {
      return await work(args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return text(error instanceof UserError ? message : `the tool failed: ${message}`, true);
    }
  };
}

const READ = { readOnlyHint: true, openWorldHint: false } as const;
const WRITE = { readOnlyHint: false, destructiveHint: true, openWorldHint: false } as const;

export const WRITE_REFUSAL = (tool: string) =>
  `${tool} changes the cluster and this server is read-only: restart it with --allow-writes (npx nx run infra:mcp -- --allow-writes) to allow deploy and rollback`;

export function createDeployServer(context: DeployToolsContext): McpServer {
  const { target, helm, jobs } = context;
  const { kube, ref, settings } = target;
  const server = new McpServer(SERVER_INFO, {
    instructions: `Operates the todo-chatbot release ${ref.release} in namespace ${ref.namespace} of context ${ref.context}. Read tools always work; deploy and rollback only when the server was started with --allow-writes.`,
  });
  const scope = `release ${ref.release}, namespace ${ref.namespace}, context ${ref.context}`;

  server.registerTool(
    'status',
    {
      description: `The release's revision and state, its pods (ready, restarts, age, image tag), the image each component runs and how to open the app (${scope}).`,
      annotations: READ,
    },
    answering(async () => {
      const lines = await releaseStatus(helm, target);
      return lines
        ? text(lines)
        : text(`release ${ref.release} is not installed in namespace ${ref.namespace}`);
    }),
  );

  server.registerTool(
    'why',
    {
      description:
        'Why each step of the last deploy (docker-build, minikube-load, helm-deploy, smoke-test) ran or was skipped, from its report; and how a deploy or rollback started here is going.',
      annotations: READ,
    },
    answering(async () => {
      const report = await readJsonRecord<DeployReport>(REPORT_PATH);
      return text([...jobs.describe(), ...whyLines(report, `${ref.namespace}/${ref.release}`)]);
    }),
  );

  server.registerTool(
    'logs',
    {
      description: `Recent log lines of the release's pods, each prefixed with pod and container (${scope}).`,
      inputSchema: z
        .object({
          component: z
            .enum([...(Object.keys(COMPONENTS) as [string, ...string[]]), 'all'])
            .default('all')
            .describe('backend, frontend, database, migrations, or all (the first three)'),
          tail: z.number().int().min(1).max(1000).default(100).describe('lines per container'),
          since: z
            .string()
            .optional()
            .describe('only lines newer than this duration, e.g. 30s, 10m, 2h'),
        })
        .strict(),
      annotations: READ,
    },
    answering(async ({ component, tail: lines, since }) => {
      const args = logsArgs(ref.namespace, ref.release, {
        components: resolveComponents([component]),
        follow: false,
        since: checkSince(since),
        tail: lines,
      });
      const output = await kube.run(args);
      return text(tail(output.trimEnd(), MAX_ANSWER_CHARS) || 'no log lines');
    }),
  );

  server.registerTool(
    'events',
    {
      description: `The namespace's recent Kubernetes events, oldest first: scheduling, pulls, probes, restarts, scaling (${scope}).`,
      inputSchema: z
        .object({
          limit: z.number().int().min(1).max(200).default(30),
          warningsOnly: z.boolean().default(false),
        })
        .strict(),
      annotations: READ,
    },
    answering(async ({ limit, warningsOnly }) => {
      const events = await kube.json<{ items: ClusterEvent[] }>([
        'get',
        'events',
        '--namespace',
        ref.namespace,
      ]);
      return text(tail(eventLines(events.items, limit, warningsOnly).join('\n'), MAX_ANSWER_CHARS));
    }),
  );

  server.registerTool(
    'diff',
    {
      description: `What a deploy would change: whether it would upgrade and why, the objects that the chart rendered with today's inputs would add, remove or change against the deployed revision, and anything changed by hand in the cluster. Secret contents are never shown (${scope}).`,
      annotations: READ,
    },
    answering(async () => {
      const secrets = requiredSecrets(settings);
      const [desired, deployed] = await Promise.all([
        desiredRelease(settings, secrets),
        fetchLiveRelease(kube, ref.namespace, ref.release),
      ]);
      const decision = decideRelease(desired, deployed);
      const dir = await mkdtemp(join(tmpdir(), 'infra-mcp-'));
      try {
        const generated = join(dir, 'values.generated.yaml');
        await writeFile(generated, valuesDocument(desired.values));
        const [rendered, applied] = await Promise.all([
          renderChart(
            templateArgs({
              release: ref.release,
              chart: CHART_DIR,
              namespace: ref.namespace,
              valuesFiles: [...settings.valuesFiles, generated],
            }),
          ),
          deployed?.releaseData ? manifestObjects(deployed.releaseData) : Promise.resolve([]),
        ]);
        return text([
          `deploy: ${decision.upgrade ? 'would upgrade' : 'nothing to do'}: ${decision.reason}`,
          `live: ${deployed?.drift ?? (deployed ? 'every object the release applied is as applied' : 'not installed')}`,
          ...(deployed?.unanswered ? [`app: ${deployed.unanswered}`] : []),
          `objects (desired against revision ${deployed?.revision ?? 'none'}):`,
          ...objectDiff(rendered as K8sObject[], applied as K8sObject[]).map((line) => `  ${line}`),
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }),
  );

  server.registerTool(
    'deploy',
    {
      description:
        'Starts `npx nx run infra:deploy` (build what changed, load it, upgrade the release, smoke-test it) and answers at once; ask `why` for its progress. Refused unless the server runs with --allow-writes.',
      annotations: WRITE,
    },
    answering(async () =>
      context.allowWrites ? text(jobs.start('deploy', [])) : text(WRITE_REFUSAL('deploy'), true),
    ),
  );

  server.registerTool(
    'rollback',
    {
      description:
        'Starts `helm rollback` of the release to the previous revision, or to `revision`, and answers at once; ask `why` or `status` for how it went. Refused unless the server runs with --allow-writes.',
      inputSchema: z.object({ revision: z.number().int().min(1).optional() }).strict(),
      annotations: WRITE,
    },
    answering(async ({ revision }) =>
      context.allowWrites
        ? text(jobs.start('rollback', revision === undefined ? [] : [String(revision)]))
        : text(WRITE_REFUSAL('rollback'), true),
    ),
  );

  return server;
}
