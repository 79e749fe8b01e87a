/**
 * `npx nx run infra:bench-deploy`: the pipeline's two budgets, measured on the cluster the
 * deploy settings point at, in a copy of this workspace (its own git history and Nx cache, and
 * a namespace of its own so the developer's release is left alone):
 *
 *   1. a no-change `npx nx run infra:deploy`, wall time including the cluster checks
 *      (budget 2 s), after a settling run;
 *   2. a backend-only change committed, then `npx nx affected -t deploy --base=HEAD~1`:
 *      the frontend tasks it executes (budget 0) and its wall time to Ready and smoke-tested.
 *
 * Usage: node tools/scripts/bench-deploy.ts [--runs N]   (deploy settings as for infra:deploy)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand, UserError } from './lib/command.ts';
import { info } from './lib/log.ts';
import { type NxRun, nx } from './lib/nx-run.ts';
import { createScratchWorkspace, type ScratchWorkspace } from './lib/scratch-workspace.ts';
import { workspaceRoot } from './lib/settings.ts';

const SCOPE = 'bench-deploy';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function deploy(
  scratch: ScratchWorkspace,
  args: string[],
  env: Record<string, string>,
): Promise<NxRun> {
  const run = await nx(scratch, args, env);
  if (run.exitCode !== 0) {
    throw new UserError(`npx nx ${args.join(' ')} failed:\n${run.output.slice(-3000)}`);
  }
  return run;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new UserError('--runs must be a positive whole number');
  const scratch = await createScratchWorkspace(workspaceRoot);
  // A namespace of its own, and a node port Kubernetes picks, so that the developer's own
  // release (which holds the fixed NodePort) is left alone.
  const benchValues = join(scratch.root, 'dist', 'bench-values.yaml');
  await mkdir(dirname(benchValues), { recursive: true });
  await writeFile(benchValues, 'frontend:\n  service:\n    nodePort: null\n');
  const env = {
    // As users run Nx: with its daemon, which skips restoring outputs that already match.
    NX_DAEMON: process.env.NX_DAEMON ?? 'true',
    DEPLOY_NAMESPACE: 'todo-chatbot-bench',
    DEPLOY_VALUES: [
      process.env.DEPLOY_VALUES ?? 'infra/helm/todo-chatbot/values.local.yaml',
      benchValues,
    ].join(','),
  };
  try {
    info(SCOPE, `workspace copy ${scratch.root}; namespace ${env.DEPLOY_NAMESPACE}`);
    const cold = await deploy(scratch, ['run', 'infra:deploy'], env);
    info(SCOPE, `first deploy: ${cold.seconds.toFixed(1)} s`);
    const settle = await deploy(scratch, ['run', 'infra:deploy'], env);
    info(SCOPE, `settling deploy: ${settle.seconds.toFixed(1)} s (${settle.executed.join(', ')})`);

    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await deploy(scratch, ['run', 'infra:deploy'], env);
      const work = run.executed.filter((task) => task !== 'infra:deploy');
      info(
        SCOPE,
        `no-change deploy ${i + 1}: ${run.seconds.toFixed(2)} s, tasks executed besides the summary: ${work.length ? work.join(', ') : 'none'}`,
      );
      times.push(run.seconds);
    }

    await scratch.edit('apps/backend/src/main.ts', "'shutting down'", "'shutting down (bench)'");
    await scratch.commit('bench: backend-only change');
    const change = await deploy(scratch, ['affected', '-t', 'deploy', '--base=HEAD~1'], env);
    const frontendTasks = change.executed.filter((task) => task.startsWith('frontend:'));

    console.log(`\n| measure | value | budget |`);
    console.log(`| --- | --- | --- |`);
    console.log(
      `| no-change \`npx nx run infra:deploy\`, median of ${runs} (range) | ${median(times).toFixed(2)} s (${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)}) | 2 s |`,
    );
    console.log(
      `| backend-only change, \`nx affected -t deploy\`: frontend tasks executed | ${frontendTasks.length}${frontendTasks.length ? ` (${frontendTasks.join(', ')})` : ''} | 0 |`,
    );
    console.log(
      `| backend-only change to Ready and smoke-tested | ${change.seconds.toFixed(1)} s | 60 s |`,
    );
    console.log(
      `| first deploy of the copy (builds both apps, empty namespace) | ${cold.seconds.toFixed(1)} s | |`,
    );
  } finally {
    await scratch.run(['node', 'tools/scripts/teardown.ts', '--delete-data'], env);
    await scratch.run(['npx', 'nx', 'daemon', '--stop'], env);
    await scratch.remove();
  }
}

if (import.meta.main) await runCommand(SCOPE, main);
