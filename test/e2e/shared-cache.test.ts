/**
 * Two machines sharing the team's Nx cache, on one host: two checkouts of the same repository
 * (machine B a `git clone` of machine A) with Nx caches of their own, two Docker engines (B's
 * a second dockerd holding only the base image), the team's cache server (real nginx), and
 * the test cluster's registry. Machine A deploys as CI does (`npm run ci:deploy`, write token);
 * machine B, at the same commit, runs `npx nx affected -t deploy` with the read token and must
 * replay every cacheable task from the shared cache (building, pushing and upgrading nothing),
 * then, after a backend change, build and push the backend alone. What travelled is read from
 * the registry's own log and B's engine, never from the pipeline's output alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type NxRun, nx } from '@todo/scripts/lib/nx-run.ts';
import {
  cloneScratchWorkspace,
  createScratchWorkspace,
  type ScratchWorkspace,
} from '@todo/scripts/lib/scratch-workspace.ts';
import {
  type CacheServer,
  READ_TOKEN,
  startCacheServer,
  WRITE_TOKEN,
} from '@todo/test-support/cache-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceView } from './support/cluster.ts';
import { type DeployEnv, deployEnv } from './support/deploy-env.ts';
import { deleteNamespace, explainRun, imageRecord } from './support/deploy-run.ts';
import { logMark, logSince, writeRequests } from './support/registry.ts';
import { type SecondDocker, startSecondDocker } from './support/second-docker.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..');
const NAMESPACE = 'todo-e2e-shared';
const VALUES = `dist/${NAMESPACE}-values.yaml`;
const view = namespaceView(NAMESPACE);
/** The deploy's cacheable tasks: every one but the summary (`infra:deploy`, never cached). */
const CACHEABLE = [
  'backend:build',
  'backend:docker-build',
  'backend:minikube-load',
  'frontend:build',
  'frontend:docker-build',
  'frontend:minikube-load',
  'infra:helm-deploy',
  'infra:smoke-test',
];

let env: DeployEnv;
let server: CacheServer;
let secondDocker: SecondDocker;
let machineA: ScratchWorkspace;
let machineB: ScratchWorkspace | undefined;
/** Wall times of machine B's runs, written to test-results for test/README.md. */
const timings: Record<string, number | string> = {};

/** A machine's environment: its own Nx cache and workspace data, the team's cache server. */
const machine = (workspace: ScratchWorkspace, extra: Record<string, string>) => ({
  ...env,
  NX_CACHE_DIRECTORY: `${workspace.root}.nx-cache`,
  NX_WORKSPACE_DATA_DIRECTORY: `${workspace.root}.nx-data`,
  NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url,
  ...extra,
});
const onA = () => machine(machineA, { NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: WRITE_TOKEN });
const onB = (workspace: ScratchWorkspace) =>
  machine(workspace, {
    NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: READ_TOKEN,
    DOCKER_HOST: secondDocker.host,
  });

/** The values file the suite adds (a NodePort of Kubernetes' choosing), in a checkout's dist/. */
async function writeValues(workspace: ScratchWorkspace): Promise<void> {
  await mkdir(join(workspace.root, 'dist'), { recursive: true });
  await writeFile(join(workspace.root, VALUES), 'frontend:\n  service:\n    nodePort: null\n');
}

/** CI's deploy job on machine A, as the CI definitions run it. */
async function ciDeployOnA(label: string): Promise<string> {
  const result = await machineA.run(
    ['npm', 'run', '--silent', 'ci:deploy', '--', '--outputStyle=stream'],
    onA(),
  );
  const output = result.stdout + result.stderr;
  if (result.exitCode !== 0)
    throw new Error(`${label} failed:\n${output.slice(-6000)}\n${await view.clusterReport()}`);
  return output;
}

async function onMachineB(label: string, workspace: ScratchWorkspace): Promise<NxRun> {
  const run = await nx(workspace, ['affected', '-t', 'deploy', '--base=HEAD~1'], onB(workspace));
  timings[label] = Number(run.seconds.toFixed(1));
  const ctx = { scratch: workspace, env, timings: {}, clusterReport: view.clusterReport };
  if (run.exitCode !== 0) throw new Error(await explainRun(ctx, run, `${label} failed`));
  return run;
}

const remoteHits = (run: NxRun) => run.output.match(/\[remote cache\]/g)?.length ?? 0;
const builtOnB = async () =>
  (await secondDocker.images()).filter((image) => image.startsWith('todo-chatbot/'));

beforeAll(async () => {
  env = await deployEnv(NAMESPACE, 'auto');
  env.DEPLOY_VALUES += `,${VALUES}`;
  await deleteNamespace(env, NAMESPACE);
  [server, secondDocker, machineA] = await Promise.all([
    startCacheServer(),
    startSecondDocker(env.NODE_BASE_IMAGE as string),
    createScratchWorkspace(workspaceRoot),
  ]);
  await writeValues(machineA);
});

afterAll(async () => {
  await writeFile(
    join(import.meta.dirname, '..', 'test-results', 'e2e', 'shared-cache.json'),
    `${JSON.stringify(timings, null, 2)}\n`,
  ).catch(() => undefined);
  if (env) await deleteNamespace(env, NAMESPACE);
  await Promise.all([server?.stop(), secondDocker?.stop()]);
  for (const workspace of [machineA, machineB]) {
    if (!workspace) continue;
    await workspace.remove();
    for (const suffix of ['.nx-cache', '.nx-data'])
      await rm(`${workspace.root}${suffix}`, { recursive: true, force: true });
  }
});

describe('shared cache 1. machine A deploys as CI does', () => {
  it('deploys, then publishes every step it checked to the shared cache', async () => {
    await ciDeployOnA('machine A: first deploy');
    // Unique to this run: the registry keeps what earlier runs pushed.
    await machineA.edit(
      'apps/backend/src/main.ts',
      "'shutting down'",
      `'shutting down (shared cache e2e ${randomBytes(4).toString('hex')})'`,
    );
    await machineA.commit('a backend change, deployed by machine A');
    const output = await ciDeployOnA('machine A: backend change');
    expect(output).toContain('deploying what changed since');
    expect(output).toContain('[ci-deploy] publishing the checked state of every step');
    expect(output).toContain('[ci-deploy] report: dist/deploy-report.json');
  });
});

describe('shared cache 2. machine B at the same commit', () => {
  it('replays every cacheable task from the shared cache: builds, pushes and upgrades nothing', async () => {
    machineB = await cloneScratchWorkspace(machineA);
    await writeValues(machineB);
    const revision = await view.deployedRevision();
    const mark = await logMark();
    const run = await onMachineB('machine B: no change', machineB);
    expect(run.executed).toEqual(['infra:deploy']);
    expect(run.cached).toEqual(expect.arrayContaining(CACHEABLE));
    // Its own caches are empty: every hit came from the team's server.
    expect(remoteHits(run)).toBeGreaterThanOrEqual(CACHEABLE.length);
    timings['machine B: shared-cache hits'] =
      `${run.cached.length} of ${run.cached.length} cacheable tasks`;
    expect(await builtOnB()).toEqual([]);
    expect(writeRequests(await logSince(mark))).toEqual([]);
    expect(await view.deployedRevision()).toBe(revision);
    // The release is current: the pods run the images the replayed records name.
    const { tag } = await imageRecord(machineB, 'backend');
    const backend = await view.pods('backend');
    expect(backend.map((pod) => pod.spec.containers[0]?.image)).toEqual(
      backend.map(() => expect.stringContaining(tag)),
    );
  });
});

describe('shared cache 3. machine B with a backend change', () => {
  it('builds and pushes the backend alone, and deploys it', async () => {
    const workspace = machineB as ScratchWorkspace;
    const frontend = await imageRecord(workspace, 'frontend');
    const revision = await view.deployedRevision();
    await workspace.edit(
      'apps/backend/src/main.ts',
      "'shutting down (shared cache e2e",
      "'shutting down (machine B change",
    );
    await workspace.commit('a backend change on machine B');
    const mark = await logMark();
    const run = await onMachineB('machine B: backend change', workspace);
    expect(run.executed).toEqual(
      expect.arrayContaining([
        'backend:build',
        'backend:docker-build',
        'backend:minikube-load',
        'infra:helm-deploy',
        'infra:smoke-test',
      ]),
    );
    expect(run.executed.filter((task) => task.startsWith('frontend:'))).toEqual([]);
    const { repository, tag } = await imageRecord(workspace, 'backend');
    expect(await builtOnB()).toEqual([`${repository}:${tag}`]);
    const writes = writeRequests(await logSince(mark));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((request) => !request.includes(repository))).toEqual([]);
    expect(await view.deployedRevision()).toBe(revision + 1);
    const backend = await view.pods('backend');
    expect(backend.map((pod) => pod.spec.containers[0]?.image)).toEqual(
      backend.map(() => expect.stringContaining(tag)),
    );
    expect((await imageRecord(workspace, 'frontend')).tag).toBe(frontend.tag);
  });
});
