/**
 * The MCP server's writes (a deploy, a rollback) run as child processes of the same commands a
 * person runs, one at a time, so a tool call answers at once and the pipeline's own lock,
 * cache and reporting stay the single path to the cluster.
 */
import { spawn } from 'node:child_process';
import { workspaceRoot } from '../workspace-root.ts';

export type WriteKind = 'deploy' | 'rollback';

const COMMANDS: Record<WriteKind, string[]> = {
  deploy: ['npx', 'nx', 'run', 'infra:deploy', '--outputStyle=static'],
  rollback: ['node', 'tools/scripts/rollback.ts'],
};
const KEPT_LINES = 15;

type Job = {
  kind: WriteKind;
  startedAt: Date;
  lines: string[];
  exitCode?: number | null;
  finishedAt?: Date;
};

export type WriteJobs = {
  /** Starts a job unless one runs; says what happened either way. */
  start: (kind: WriteKind, args: string[]) => string;
  /** The running or last job: state and its newest output lines. */
  describe: () => string[];
  /** Resolves when no job runs (for a clean shutdown and for tests). */
  idle: () => Promise<void>;
};

export function writeJobs(
  commands: Record<WriteKind, string[]> = COMMANDS,
  now = () => new Date(),
): WriteJobs {
  let job: Job | undefined;
  let done: Promise<void> = Promise.resolve();
  const seconds = (from: Date, to: Date) => ((to.getTime() - from.getTime()) / 1000).toFixed(0);
  return {
    start(kind, args) {
      if (job && job.finishedAt === undefined) {
        return `a ${job.kind} started ${seconds(job.startedAt, now())} s ago is still running: ask \`why\` for its progress`;
      }
      const [command = '', ...base] = commands[kind];
      const current: Job = { kind, startedAt: now(), lines: [] };
      job = current;
      const child = spawn(command, [...base, ...args], {
        cwd: workspaceRoot,
        env: { ...process.env, FORCE_COLOR: '0', NX_TUI: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => {
        const lines = chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line.trim());
        current.lines = [...current.lines, ...lines].slice(-KEPT_LINES);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      done = new Promise((resolve) => {
        child.on('error', (error) => {
          current.lines.push(`could not start ${command}: ${error.message}`);
          current.exitCode = null;
          current.finishedAt = now();
          resolve();
        });
        child.on('close', (code) => {
          current.exitCode = code;
          current.finishedAt = now();
          resolve();
        });
      });
      return `${kind} started (${[...commands[kind], ...args].join(' ')}): ask \`why\` for its progress`;
    },
    describe() {
      if (!job) return [];
      const state =
        job.finishedAt === undefined
          ? `running for ${seconds(job.startedAt, now())} s`
          : `${job.exitCode === 0 ? 'succeeded' : `failed (exit ${job.exitCode})`} after ${seconds(job.startedAt, job.finishedAt)} s`;
      return [
        `${job.kind} started here ${job.startedAt.toISOString()}: ${state}; its last lines:`,
        ...job.lines.map((line) => `  ${line}`),
        '',
      ];
    },
    idle: () => done,
  };
}
