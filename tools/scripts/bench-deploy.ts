/**
 * `npx nx run infra:bench-deploy`: the pipeline against its peer, the naive script
 * (naive-deploy.ts: rebuild both, load both whole, helm upgrade), in the same run on the same
 * cluster, from one copy of this workspace (its own git history and Nx cache) with a
 * namespace each, so the developer's own release is left alone:
 *
 *   1. no change: `npx nx run infra:deploy` after a settling run, against a naive run;
 *   2. a one-line backend change, committed: `npx nx affected -t deploy --base=HEAD~1` to new
 *      pods Ready and smoke-tested, against a naive run of the same sources;
 *   3. the same for a one-line frontend change;
 *   4. the no-change deploy right after each change (edit, deploy, deploy again).
 *
 * Each Nx command runs as a developer types it, with Nx's default output. Prints medians, the
 * ratios and the bytes each side moved to the cluster per change.
 * NX_DAEMON=false measures CI mode. Usage: node tools/scripts/bench-deploy.ts [--runs N]
 * [--naive-runs N]   (deploy settings as for infra:deploy): N samples of each pipeline row,
 * of which the first --naive-runs also get a naive run (it takes three times as long).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { $ } from 'zx/core';
import { runCommand, UserError } from './lib/command.ts';
import { info, mb } from './lib/log.ts';
import { type NxRun, nx } from './lib/nx-run.ts';
import type { StepRecord, SummaryLine } from './lib/report.ts';
import { createScratchWorkspace, type ScratchWorkspace } from './lib/scratch-workspace.ts';
import { workspaceRoot } from './lib/settings.ts';

const SCOPE = 'bench-deploy';
const RUN_ID = Date.now().toString(36);

type Sample = { seconds: number; bytes: number };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const positive = (name: string, value: string | undefined) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new UserError(`--${name} must be a positive whole number`);
  return parsed;
};

/**
 * One line edit per app, different in every run of the bench (an edit seen before would find
 * its image already built and pushed), so each change is a real new image.
 */
const EDITS: Record<string, { file: string; search: RegExp; replace: (n: number) => string }> = {
  backend: {
    file: 'apps/backend/src/main.ts',
    search: /'shutting down[^']*'/,
    replace: (n) => `'shutting down (bench ${RUN_ID}.${n})'`,
  },
  frontend: {
    file: 'apps/frontend/src/app/not-found.tsx',
    search: /This page drifted[^"]*/,
    replace: (n) => `This page drifted off (bench ${RUN_ID}.${n})`,
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'naive-runs': { type: 'string', default: '3' },
    },
  });
  const runs = positive('runs', values.runs);
  const naiveRuns = positive('naive-runs', values['naive-runs']);
  const scratch = await createScratchWorkspace(workspaceRoot);
  const benchValues = join(scratch.root, 'dist', 'bench-values.yaml');
  await mkdir(dirname(benchValues), { recursive: true });
  // A node port Kubernetes picks: the developer's own release holds the fixed one.
  await writeFile(benchValues, 'frontend:\n  service:\n    nodePort: null\n');
  const common = {
    NX_DAEMON: process.env.NX_DAEMON ?? 'true',
    DEPLOY_VALUES: [
      process.env.DEPLOY_VALUES ?? 'infra/helm/todo-chatbot/values.local.yaml',
      benchValues,
    ].join(','),
  };
  const pipelineEnv = { ...common, DEPLOY_NAMESPACE: 'todo-chatbot-bench' };
  const naiveEnv = { ...common, DEPLOY_NAMESPACE: 'todo-chatbot-bench-naive' };

  const pipeline = async (
    args: string[],
    daemon = common.NX_DAEMON,
  ): Promise<NxRun & { bytes: number }> => {
    await settleDisk();
    const since = new Date().toISOString();
    const run = await nx(scratch, args, { ...pipelineEnv, NX_DAEMON: daemon }, 'default');
    if (run.exitCode !== 0)
      throw new UserError(`npx nx ${args.join(' ')} failed:\n${run.output.slice(-3000)}`);
    return { ...run, bytes: await bytesSentSince(scratch, since) };
  };
  const naive = async (): Promise<Sample> => {
    await settleDisk();
    const started = performance.now();
    const result = await scratch.run(['node', 'tools/scripts/naive-deploy.ts'], naiveEnv);
    if (result.exitCode !== 0)
      throw new UserError(
        `naive-deploy.ts failed:\n${(result.stdout + result.stderr).slice(-3000)}`,
      );
    const loaded = /loaded ([\d.]+) MB/.exec(result.stdout);
    return { seconds: (performance.now() - started) / 1000, bytes: Number(loaded?.[1] ?? 0) * 1e6 };
  };
  let edit = 0;
  /** A new one-line edit of the app, committed: each side pays for its own build. */
  const change = async (app: string) => {
    const { file, search, replace } = EDITS[app] as (typeof EDITS)[string];
    const path = join(scratch.root, file);
    await writeFile(path, (await readFile(path, 'utf8')).replace(search, replace(++edit)));
    await scratch.commit(`bench: ${app} change ${edit}`);
  };

  try {
    info(SCOPE, `workspace copy ${scratch.root}; NX_DAEMON=${common.NX_DAEMON}`);
    const cold = await pipeline(['run', 'infra:deploy']);
    info(SCOPE, `pipeline first deploy: ${cold.seconds.toFixed(1)} s`);
    const settle = await pipeline(['run', 'infra:deploy']);
    info(SCOPE, `pipeline settling deploy: ${settle.seconds.toFixed(1)} s`);
    const naiveCold = await naive();
    info(SCOPE, `naive first deploy: ${naiveCold.seconds.toFixed(1)} s`);

    const table: { name: string; ours: Sample[]; peer: Sample[] }[] = [];
    const noChange = async (name: string, daemon: string, peer: Sample[]) => {
      const row = { name, ours: [] as Sample[], peer };
      await pipeline(['run', 'infra:deploy'], daemon);
      for (let i = 0; i < runs; i++) {
        const run = await pipeline(['run', 'infra:deploy'], daemon);
        const work = run.executed.filter((task) => task !== 'infra:deploy');
        info(
          SCOPE,
          `${name} ${i + 1}: ${run.seconds.toFixed(2)} s, tasks run: ${work.join(', ') || 'none'}`,
        );
        row.ours.push(run);
      }
      table.push(row);
    };
    const naiveNoChange: Sample[] = [];
    for (let i = 0; i < naiveRuns; i++) naiveNoChange.push(await naive());
    await noChange('no change', common.NX_DAEMON, naiveNoChange);

    const changes: Record<string, Sample[]> = {};
    const afterChange = {
      name: 'no change, right after a change',
      ours: [] as Sample[],
      peer: naiveNoChange,
    };
    for (const app of ['backend', 'frontend']) {
      const row = { name: `one-line ${app} change`, ours: [] as Sample[], peer: [] as Sample[] };
      for (let i = 0; i < Math.max(runs, naiveRuns); i++) {
        await change(app);
        const run = await pipeline(['affected', '-t', 'deploy', '--base=HEAD~1']);
        const otherApp = app === 'backend' ? 'frontend' : 'backend';
        const other = run.executed.filter((task) => task.startsWith(`${otherApp}:`));
        info(
          SCOPE,
          `${app} change ${i + 1}: ${run.seconds.toFixed(1)} s, ${mb(run.bytes)} sent${other.length ? `; also ran ${other.join(', ')}` : ''}`,
        );
        // Where the time went: the run's own report, one line per step, then the steps that
        // ran with their times (what tells a slow sample from the others).
        const report = await stepsOf(scratch);
        console.log(i === 0 ? report.lines : `  ${report.ran}`);
        row.ours.push(run);
        // Deploying again at once (edit, deploy, deploy): every step should replay.
        const next = await pipeline(['run', 'infra:deploy']);
        const work = next.executed.filter((task) => task !== 'infra:deploy');
        info(
          SCOPE,
          `no change right after the ${app} change ${i + 1}: ${next.seconds.toFixed(2)} s, tasks run: ${work.join(', ') || 'none'}`,
        );
        afterChange.ours.push(next);
        if (i < naiveRuns) {
          await change(app);
          row.peer.push(await naive());
          // The peer's edit, deployed by the pipeline too: the next sample changes one line.
          await pipeline(['run', 'infra:deploy']);
        }
      }
      changes[app] = row.peer;
      table.push(row);
    }
    table.push(afterChange);

    // CI mode: no Nx daemon, against the same peer samples. The daemon of the runs above is
    // stopped first: left running, it rehashes every file the daemonless runs restore.
    if (common.NX_DAEMON !== 'false') {
      await scratch.run(['npx', 'nx', 'daemon', '--stop'], common);
      await noChange('no change, NX_DAEMON=false', 'false', naiveNoChange);
      const row = {
        name: 'one-line backend change, NX_DAEMON=false',
        ours: [] as Sample[],
        peer: changes.backend ?? [],
      };
      for (let i = 0; i < runs; i++) {
        await change('backend');
        const run = await pipeline(['affected', '-t', 'deploy', '--base=HEAD~1'], 'false');
        info(SCOPE, `backend change without the daemon ${i + 1}: ${run.seconds.toFixed(1)} s`);
        row.ours.push(run);
        await pipeline(['run', 'infra:deploy'], 'false');
      }
      table.push(row);
    }
    const appLayers = JSON.parse(
      await readFile(join(scratch.root, 'dist', 'images', 'backend.json'), 'utf8'),
    ) as { appLayersBytes: number };

    console.log(
      `\n| measure (median) | pipeline | naive script | ratio | sent by the pipeline | by the naive script |`,
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const row of table) {
      const ours = median(row.ours.map((sample) => sample.seconds));
      const peer = median(row.peer.map((sample) => sample.seconds));
      console.log(
        `| ${row.name} (${row.ours.length} and ${row.peer.length} runs) | ${ours.toFixed(2)} s | ${peer.toFixed(1)} s | **${(peer / ours).toFixed(1)}x** | ${mb(median(row.ours.map((s) => s.bytes)))} | ${mb(median(row.peer.map((s) => s.bytes)))} |`,
      );
    }
    console.log(`| backend app layers (uncompressed) | ${mb(appLayers.appLayersBytes)} | | | | |`);
    console.log(
      `| first deploy | ${cold.seconds.toFixed(1)} s | ${naiveCold.seconds.toFixed(1)} s | | ${mb(cold.bytes)} | ${mb(naiveCold.bytes)} |`,
    );
  } finally {
    await scratch.run(['node', 'tools/scripts/teardown.ts', '--delete-data'], pipelineEnv);
    await scratch.run(['node', 'tools/scripts/teardown.ts', '--delete-data'], naiveEnv);
    await scratch.run(['npx', 'nx', 'daemon', '--stop'], common);
    await scratch.remove();
  }
}

/**
 * Waits until the disk has written what earlier samples left in memory: a naive run side-loads
 * 500 MB, and its writeback slowed the next sample's docker build and push two- to threefold
 * (their commits wait behind it). Each side starts from a quiet disk; not timed.
 */
async function settleDisk(): Promise<void> {
  await $({ quiet: true, nothrow: true })`sync`;
}

/**
 * Each step of a run as its report (dist/deploy-report.json) has it: `lines`, outcome, time
 * and reason a line each; `ran`, the steps that were not skipped and their times, on one line.
 */
async function stepsOf(scratch: ScratchWorkspace): Promise<{ lines: string; ran: string }> {
  const { steps } = JSON.parse(
    await readFile(join(scratch.root, 'dist', 'deploy-report.json'), 'utf8'),
  ) as { steps: SummaryLine[] };
  return {
    lines: steps
      .map(({ task, outcome, seconds, reason }) => `  ${task} ${outcome} ${seconds} s: ${reason}`)
      .join('\n'),
    ran: steps
      .filter(({ outcome }) => outcome !== 'skipped')
      .map(({ task, seconds }) => `${task} ${seconds} s`)
      .join(', '),
  };
}

/** Bytes the load steps of a run moved to the cluster, from their step records. */
async function bytesSentSince(scratch: ScratchWorkspace, since: string): Promise<number> {
  const dir = join(scratch.root, 'dist', 'deploy', 'steps');
  const files = (await readdir(dir).catch(() => [])).filter((file) =>
    file.endsWith('--minikube-load.json'),
  );
  let total = 0;
  for (const file of files) {
    const record = JSON.parse(await readFile(join(dir, file), 'utf8')) as StepRecord;
    if (record.finishedAt >= since) total += Number(record.details?.bytesSent ?? 0);
  }
  return total;
}

if (import.meta.main) await runCommand(SCOPE, main);
