/**
 * Cold installs in a row, the way CI meets the cluster: create the namespace, install the
 * chart with `npx nx run infra:deploy`, every pod Ready, delete the namespace; again, under
 * the same namespace name. One cold install in about ten once waited out the whole timeout
 * for a database volume that was already provisioned (issue 21); this file is the proof it
 * does not any more.
 *
 * The cycles run in lanes side by side, each with its own namespace, workspace copy and
 * NodePort: a namespace takes longer to delete than the chart takes to install, and two
 * installs at once are the load under which the flake was seen (CI's test files deploy into
 * namespaces of their own). Each cycle's times go to test-results/e2e/cold-installs.json; the
 * first failing cycle stops its lane with Nx's output and the namespace's pods and events.
 *
 * COLD_INSTALL_CYCLES sets the number of cycles (20), COLD_INSTALL_LANES the lanes (2).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  createScratchWorkspace,
  type ScratchWorkspace,
} from '@todo/scripts/lib/scratch-workspace.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceView } from './support/cluster.ts';
import { type DeployEnv, deployEnv } from './support/deploy-env.ts';
import { type DeployContext, deleteNamespace, deployRun } from './support/deploy-run.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..');
const CYCLES = Number(process.env.COLD_INSTALL_CYCLES ?? 20);
const LANES = Number(process.env.COLD_INSTALL_LANES ?? 2);
/** NodePorts of their own: a NodePort is cluster-wide (see resilience.test.ts). */
const FIRST_NODE_PORT = 30182;
const VALUES_FILE = 'test/e2e/values.cold-install.yaml';
const RESULTS = join(import.meta.dirname, '..', 'test-results', 'e2e', 'cold-installs.json');

/** A fresh release, every pod of it Ready, and the database's claim bound. */
const INSTALLED = { revision: 1, notReady: [], claims: ['Bound'] };

type Lane = {
  namespace: string;
  scratch: ScratchWorkspace;
  env: DeployEnv;
  view: ReturnType<typeof namespaceView>;
  timings: Record<string, number>;
};
type Cycle = { cycle: number; namespace: string; installSeconds: number; deleteSeconds: number };

const lanes: Lane[] = [];
const cycles: Cycle[] = [];

async function seconds(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return Number(((performance.now() - started) / 1000).toFixed(1));
}

async function installedState({ view }: Lane) {
  const claims = JSON.parse(await view.kubectl(['get', 'pvc', '-o', 'json'])).items as {
    status: { phase: string };
  }[];
  return {
    revision: await view.deployedRevision(),
    notReady: (await view.pods())
      .filter((pod) => !pod.status.containerStatuses?.every((container) => container.ready))
      .map((pod) => pod.metadata.name),
    claims: claims.map((claim) => claim.status.phase),
  };
}

async function openLane(index: number): Promise<Lane> {
  const namespace = `todo-e2e-cold-${index + 1}`;
  const env = await deployEnv(namespace);
  env.DEPLOY_VALUES = `${env.DEPLOY_VALUES},${VALUES_FILE}`;
  await deleteNamespace(env, namespace);
  const scratch = await createScratchWorkspace(workspaceRoot);
  await writeFile(
    join(scratch.root, VALUES_FILE),
    `# Written by test/e2e/cold-install.test.ts.\nfrontend:\n  service:\n    nodePort: ${FIRST_NODE_PORT + index}\n`,
  );
  await scratch.commit('cold-install values: a NodePort of its own');
  return { namespace, scratch, env, view: namespaceView(namespace), timings: {} };
}

/** One cycle: install into the empty namespace, check the release, delete the namespace. */
async function runCycle(lane: Lane, cycle: number): Promise<Cycle> {
  const ctx: DeployContext = { ...lane, clusterReport: lane.view.clusterReport };
  const label = `cycle ${cycle} of ${CYCLES} (${lane.namespace})`;
  const run = await deployRun(ctx, label).catch((error: Error) => {
    error.message = `${label}: ${error.message}`;
    throw error;
  });
  const installSeconds = Number(run.seconds.toFixed(1));
  const state = await installedState(lane);
  if (!isDeepStrictEqual(state, INSTALLED)) {
    throw new Error(
      `${label}: after the install ${JSON.stringify(state)}, wanted ${JSON.stringify(INSTALLED)}\n${await lane.view.clusterReport()}`,
    );
  }
  const deleteSeconds = await seconds(() => deleteNamespace(lane.env, lane.namespace));
  const left = await lane.view.kubectl([
    'get',
    'namespace',
    lane.namespace,
    '--ignore-not-found',
    '-o',
    'name',
  ]);
  if (left.trim()) throw new Error(`${label}: the namespace still exists after 120 s`);
  console.log(
    `${label}: installed in ${installSeconds} s, namespace deleted in ${deleteSeconds} s`,
  );
  return { cycle, namespace: lane.namespace, installSeconds, deleteSeconds };
}

beforeAll(async () => {
  for (let index = 0; index < LANES; index++) lanes.push(await openLane(index));
}, 300_000);

afterAll(async () => {
  for (const lane of lanes) {
    await deleteNamespace(lane.env, lane.namespace);
    await lane.scratch.remove();
  }
  await mkdir(join(RESULTS, '..'), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify({ lanes: LANES, cycles }, null, 2)}\n`);
});

describe(`${CYCLES} cold installs, ${LANES} at a time`, () => {
  it(
    'installs from an empty namespace to all pods Ready every time, the namespace deleted between',
    async () => {
      let next = 1;
      // Each lane takes the next cycle number until all are taken.
      const results = await Promise.allSettled(
        lanes.map(async (lane) => {
          for (let cycle = next++; cycle <= CYCLES; cycle = next++) {
            cycles.push(await runCycle(lane, cycle));
          }
        }),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (failures.length > 0) throw new AggregateError(failures, failures.join('\n\n'));
      expect(cycles.map((c) => c.cycle).sort((a, b) => a - b)).toEqual(
        Array.from({ length: CYCLES }, (_, i) => i + 1),
      );
    },
    Math.ceil(CYCLES / LANES) * 240_000,
  );
});
