/**
 * Each deploy step leaves a record of what it did and why (dist/deploy/steps/*.json, declared
 * as the step's Nx output). The `deploy` target turns them into the run's summary and
 * dist/deploy-report.json. A step that Nx replayed from its cache left its record from the run
 * that produced it; the invocation id tells those apart, so the summary says "skipped".
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  | 'passed';

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
  return records.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}

export type SummaryLine = { task: string; outcome: string; reason: string; seconds: string };

/** Pure: one line per step; a record from an earlier run means nothing ran for it this time. */
export function summarize(records: StepRecord[], invocation: string): SummaryLine[] {
  return records.map((record) => {
    const fresh = record.invocation === invocation;
    return {
      task: record.task,
      outcome: fresh ? record.action : 'skipped',
      reason: fresh
        ? record.reason
        : `Nx cache hit (inputs and cluster state unchanged) or not part of this run; last ran ${record.finishedAt}: ${record.action}`,
      seconds: fresh ? (record.durationMs / 1000).toFixed(1) : '0.0',
    };
  });
}
