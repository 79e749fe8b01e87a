/**
 * Deploys from a test file's workspace copy, as a user would, recording each run's wall time
 * and failing with Nx's output and the namespace's pods, events and logs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type NxRun, nx } from '@todo/scripts/lib/nx-run.ts';
import type { ScratchWorkspace } from '@todo/scripts/lib/scratch-workspace.ts';
import { $ } from 'zx';
import type { DeployEnv } from './deploy-env.ts';

export type DeployContext = {
  scratch: ScratchWorkspace;
  env: DeployEnv;
  /** Wall times by label, written to test-results by the test file. */
  timings: Record<string, number>;
  clusterReport: () => Promise<string>;
};

/** The failure text of a run: what failed, Nx's output tail and the cluster report. */
export async function explainRun(ctx: DeployContext, run: NxRun, what: string): Promise<string> {
  return `${what} (exit ${run.exitCode}, ${run.seconds.toFixed(1)} s)\n${run.output.slice(-6000)}\n${await ctx.clusterReport()}`;
}

/** `npx nx <args>` (default `run infra:deploy`) in the copy; throws with the explanation on failure. */
export async function deployRun(
  ctx: DeployContext,
  label: string,
  args = ['run', 'infra:deploy'],
  extraEnv: Record<string, string> = {},
): Promise<NxRun> {
  const run = await nx(ctx.scratch, args, { ...ctx.env, ...extraEnv });
  ctx.timings[label] = Number(run.seconds.toFixed(1));
  if (run.exitCode !== 0) throw new Error(await explainRun(ctx, run, `${args.join(' ')} failed`));
  return run;
}

/** The image record docker-build wrote in the copy. */
export async function imageRecord(
  scratch: ScratchWorkspace,
  app: string,
): Promise<{ image: string; repository: string; tag: string }> {
  return JSON.parse(await readFile(join(scratch.root, 'dist', 'images', `${app}.json`), 'utf8'));
}

/** Deletes a test namespace and waits for it: a clean start, and its NodePort freed at the end. */
export async function deleteNamespace(env: DeployEnv, namespace: string): Promise<void> {
  await $({
    nothrow: true,
    quiet: true,
    env: { ...process.env, ...env },
  })`kubectl --context ${env.KUBE_CONTEXT} delete namespace ${namespace} --wait=true --timeout=120s`;
}
