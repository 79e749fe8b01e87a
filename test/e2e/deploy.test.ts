/**
 * The deploy pipeline on a real cluster, driven exactly as a user drives it: `npx nx run
 * infra:deploy` and `npx nx affected -t deploy` in a copy of this workspace (its own git
 * history, so changes can be committed). The scenarios build on each other and run in order.
 * A failing one prints the Nx output and the namespace's pods, events and logs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { type NxRun, nx } from '../../tools/scripts/lib/nx-run.ts';
import {
  createScratchWorkspace,
  type ScratchWorkspace,
} from '../../tools/scripts/lib/scratch-workspace.ts';
import {
  clusterReport,
  deployedRevision,
  imageOnNode,
  pods,
  podUids,
  removeImageFromNode,
} from './support/cluster.ts';
import { type DeployEnv, deployEnv, NAMESPACE, RELEASE } from './support/deploy-env.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..');
let scratch: ScratchWorkspace;
let env: DeployEnv;
/** Wall times of the scenarios' deploys, written to test-results for the README's table. */
const timings: Record<string, number> = {};

async function explain(run: NxRun, what: string): Promise<string> {
  return `${what} (exit ${run.exitCode}, ${run.seconds.toFixed(1)} s)\n${run.output.slice(-6000)}\n${await clusterReport()}`;
}

async function deploy(
  label: string,
  args = ['run', 'infra:deploy'],
  extraEnv = {},
): Promise<NxRun> {
  const run = await nx(scratch, args, { ...env, ...extraEnv });
  timings[label] = Number(run.seconds.toFixed(1));
  if (run.exitCode !== 0) throw new Error(await explain(run, `${args.join(' ')} failed`));
  return run;
}

async function imageRecord(app: string): Promise<{ image: string; tag: string }> {
  return JSON.parse(await readFile(join(scratch.root, 'dist', 'images', `${app}.json`), 'utf8'));
}

async function allReady(): Promise<boolean> {
  const list = await pods();
  return (
    list.length > 0 && list.every((pod) => pod.status.containerStatuses?.every((c) => c.ready))
  );
}

beforeAll(async () => {
  env = await deployEnv();
  // A clean namespace: the cold deploy starts from nothing.
  await $({
    nothrow: true,
    quiet: true,
    env: { ...process.env, ...env },
  })`kubectl --context ${env.KUBE_CONTEXT} delete namespace ${NAMESPACE} --wait=true --timeout=120s`;
  scratch = await createScratchWorkspace(workspaceRoot);
});

afterAll(async () => {
  await writeFile(
    join(import.meta.dirname, '..', 'test-results', 'e2e', 'timings.json'),
    `${JSON.stringify(timings, null, 2)}\n`,
  ).catch(() => undefined);
  await scratch?.remove();
});

describe('1. cold deploy from nothing', () => {
  it('builds, loads, installs, becomes Ready, passes helm test and the smoke test', async () => {
    const run = await deploy('cold deploy');
    expect(run.executed).toEqual(
      expect.arrayContaining([
        'backend:docker-build',
        'frontend:docker-build',
        'backend:minikube-load',
        'frontend:minikube-load',
        'infra:helm-deploy',
        'infra:smoke-test',
      ]),
    );
    expect(run.output).toContain('no deployed release: installing');
    expect(await allReady()).toBe(true);
    expect(await deployedRevision()).toBe(1);
    const helmTest = await $({
      nothrow: true,
      quiet: true,
      env: { ...process.env, ...env },
    })`helm test ${RELEASE} --namespace ${NAMESPACE} --kube-context ${env.KUBE_CONTEXT}`;
    expect(helmTest.exitCode, helmTest.stdout + helmTest.stderr).toBe(0);
    const report = JSON.parse(
      await readFile(join(scratch.root, 'dist', 'deploy-report.json'), 'utf8'),
    );
    expect(report.steps.map((s: { task: string }) => s.task)).toContain('infra:smoke-test');
  });
});

describe('2. no-change redeploy', () => {
  it('builds nothing, loads nothing, leaves Helm and the pods alone', async () => {
    const revision = await deployedRevision();
    const backendPods = await podUids('backend');
    const frontendPods = await podUids('frontend');
    // The first run after a change settles the cache keys (each step finds nothing to do).
    const settle = await deploy('no-change redeploy (first, settling)');
    const run = await deploy('no-change redeploy');
    for (const output of [settle.output, run.output]) {
      expect(output).not.toMatch(/docker build todo-chatbot/);
      expect(output).not.toMatch(/\[minikube-load\] load /);
      expect(output).not.toMatch(/upgrade --install/);
    }
    expect(run.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
    expect(await deployedRevision()).toBe(revision);
    expect(await podUids('backend')).toEqual(backendPods);
    expect(await podUids('frontend')).toEqual(frontendPods);
  });
});

describe('3. backend-only change', () => {
  it('rebuilds and reloads only the backend and replaces only backend pods', async () => {
    const frontendPods = await podUids('frontend');
    const frontendImage = await imageRecord('frontend');
    const backendImage = await imageRecord('backend');
    await scratch.edit(
      'apps/backend/src/main.ts',
      "'shutting down'",
      "'shutting down (e2e backend change)'",
    );
    await scratch.commit('backend-only change');

    const run = await deploy('backend-only change', ['affected', '-t', 'deploy', '--base=HEAD~1']);
    expect(run.executed.filter((task) => task.startsWith('frontend:'))).toEqual([]);
    expect(run.executed).toEqual(
      expect.arrayContaining([
        'backend:docker-build',
        'backend:minikube-load',
        'infra:helm-deploy',
        'infra:smoke-test',
      ]),
    );
    expect((await imageRecord('backend')).tag).not.toBe(backendImage.tag);
    expect(await imageRecord('frontend')).toEqual(frontendImage);
    expect(await podUids('frontend')).toEqual(frontendPods);
    const newTag = (await imageRecord('backend')).tag;
    const backend = await pods('backend');
    expect(backend.map((pod) => pod.status.containerStatuses?.[0]?.image)).toEqual(
      backend.map(() => expect.stringContaining(newTag)),
    );
  });
});

describe('11. stale-state trap', () => {
  it('notices an image removed from the node while the Nx cache is intact, and reloads it', async () => {
    const { image } = await imageRecord('backend');
    await deploy('settle before the trap');
    await removeImageFromNode(image);
    expect(await imageOnNode(image)).toBe(false);

    const run = await deploy('redeploy after the node lost an image');
    expect(run.executed).toContain('backend:minikube-load');
    expect(run.output).toContain(`${image} was not on the node: loaded`);
    expect(await imageOnNode(image)).toBe(true);
  });
});

describe('12. bad input fails fast and changes nothing', () => {
  it.each([
    ['a malformed .env', 'JWT_SECRET: oops\n', {}, /\.env:1: JWT_SECRET is not followed by "="/],
    [
      'a missing required secret',
      'LLM_PROVIDER=builtin\n',
      {},
      /JWT_SECRET not set in .*\.env or the environment/,
    ],
    [
      'an unreachable cluster',
      null,
      { KUBE_CONTEXT: 'no-such-context' },
      /cluster of context no-such-context is not reachable/,
    ],
  ] as const)('%s', async (_name, envText, extraEnv, message) => {
    const revision = await deployedRevision();
    const overrides: Record<string, string> = { ...extraEnv };
    if (envText !== null) {
      const file = join(scratch.root, `bad-${revision}.env`);
      await writeFile(file, envText);
      overrides.DEPLOY_ENV_FILE = file;
    }
    const run = await nx(scratch, ['run', 'infra:helm-deploy'], { ...env, ...overrides });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toMatch(message);
    expect(run.output).not.toMatch(/\n\s+at .*\(.*\.ts:\d+:\d+\)/);
    expect(await deployedRevision()).toBe(revision);
  });
});
