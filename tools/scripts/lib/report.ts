/**
 * Each deploy step leaves a record of what it did and why (dist/deploy/steps/*.json, declared
 * as the step's Nx output). The `deploy` target turns them into the run's summary and
 * dist/deploy-report.json. A step that Nx replayed from its cache left its record from the run
 * that produced it; the invocation id tells those apart, so the summary says "skipped".
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { workspaceRoot } from './workspace-root.ts';

export type StepAction =
  | 'built'
  | 'reused'
  | 'loaded'
  | 'pushed'
  | 'present'
  | 'installed'
  | 'upgraded'
  | 'unchanged'
  | 'passed'
  | 'interrupted';

export type StepRecord = {
  /** `<project>:<target>`, e.g. `backend:minikube-load`. */
  task: string;
  action: StepAction;
  reason: string;
  durationMs: number;
  finishedAt: string;
  /** Which Nx run wrote it (the root process of the run). */
  invocation: string;
  /** Step-specific facts: image reference, revision. */
  details?: Record<string, string | number>;
  /** How to open the app (helm-deploy records them for the summary). */
  urls?: string[];
};

export const STEPS_DIR = join(workspaceRoot, 'dist', 'deploy', 'steps');
export const REPORT_PATH = join(workspaceRoot, 'dist', 'deploy-report.json');

/** The current Nx run; a command run by hand counts as a run of its own. */
export function invocationId(): string {
  return process.env.NX_INVOCATION_ROOT_PID ?? `pid-${process.pid}`;
}

export function stepRecordPath(task: string): string {
  return join(STEPS_DIR, `${task.replace(':', '--')}.json`);
}

export async function writeStepRecord(
  record: Omit<StepRecord, 'finishedAt' | 'invocation'>,
): Promise<void> {
  await mkdir(STEPS_DIR, { recursive: true });
  const full: StepRecord = {
    ...record,
    finishedAt: new Date().toISOString(),
    invocation: invocationId(),
  };
  await writeFile(stepRecordPath(record.task), `${JSON.stringify(full, null, 2)}\n`);
}

export async function readStepRecords(): Promise<StepRecord[]> {
  const files = await readdir(STEPS_DIR).catch(() => [] as string[]);
  const records = await Promise.all(
    files
      .filter((file) => file.endsWith('.json'))
      .map(async (file) => JSON.parse(await readFile(join(STEPS_DIR, file), 'utf8')) as StepRecord),
  );
  return records.sort((a, b) => stage(a) - stage(b) || a.task.localeCompare(b.task));
}

/** The pipeline's order: a step that ran this time is listed where it belongs, not last. */
const STAGES = ['docker-build', 'minikube-load', 'helm-deploy', 'smoke-test'];
const stage = (record: StepRecord) => STAGES.indexOf(record.task.split(':')[1] ?? '');

export type SummaryLine = { task: string; outcome: string; reason: string; seconds: string };

/**
 * What a step's Nx cache key checked live in this run (its runtime input), so a replayed step
 * says exactly what still holds, and nothing it did not check.
 */
const CHECKED: Record<string, string> = {
  'docker-build': 'the Docker daemon still has the image of these inputs',
  'minikube-load': "the cluster's registry or node still has that image",
  'helm-deploy':
    'the release still runs these inputs, every workload available, no object it applied changed by hand, and the app answers /api/readyz where the API server proxies to it',
  'smoke-test':
    'helm-deploy found the release exactly as these checks left it (so they are not repeated)',
};

/** Pure: a step's line, its task padded to `width` so the outcomes line up. */
export function summaryText(line: SummaryLine, width: number): string {
  return `${line.task.padEnd(width)}  ${line.outcome.padEnd(9)} ${line.seconds.padStart(5)} s  ${line.reason}`;
}

/** Pure: one line per step; a record from an earlier run means nothing ran for it this time. */
export function summarize(records: StepRecord[], invocation: string): SummaryLine[] {
  return records.map((record) => {
    const fresh = record.invocation === invocation;
    const checked = CHECKED[record.task.split(':')[1] ?? ''] ?? 'its inputs are unchanged';
    return {
      task: record.task,
      outcome: fresh ? record.action : 'skipped',
      reason: fresh
        ? record.reason
        : `Nx cache hit, checked this run: ${checked}; last ran ${record.finishedAt}: ${record.action}`,
      seconds: fresh ? (record.durationMs / 1000).toFixed(1) : '0.0',
    };
  });
}

/**
 * The run's summary as the `deploy` target prints it, one line per step and how to open the
 * app; writes the same as dist/deploy-report.json. It reads the steps' records only, so it
 * adds no wait to a run.
 */
export async function deploySummary(invocation: string): Promise<string> {
  const records = await readStepRecords();
  const lines = summarize(records, invocation);
  const width = Math.max(...lines.map((line) => line.task.length), 4);
  const deployRecord = records.find((record) => record.task === 'infra:helm-deploy');
  const urls = deployRecord?.urls ?? [];
  // `<namespace>/<release>`: whoever reads the report later can tell which release it speaks of.
  const release = deployRecord?.details?.release;
  await mkdir(dirname(REPORT_PATH), { recursive: true });
  await writeFile(
    REPORT_PATH,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), release, steps: lines, urls }, null, 2)}\n`,
  );
  return [
    '',
    '[deploy] summary',
    ...lines.map((line) => `  ${summaryText(line, width)}`),
    ...urls.map((url) => `  open: ${url}`),
    '  report: dist/deploy-report.json',
    '',
  ].join('\n');
}
