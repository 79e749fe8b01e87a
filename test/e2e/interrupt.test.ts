/**
 * Deploys interrupted or overlapping the way users' deploys are, on the test cluster: Ctrl-C
 * (SIGINT to the terminal's job, `npx` and Nx; Nx then stops its tasks, leaf first) and a
 * cancelled CI job (SIGTERM), during the image build, the image transfer, the Helm upgrade and
 * the smoke test; and two CI jobs of different commits deploying one release at once. A stopped
 * deploy must stop its child processes, let go of the deploy lock, leave no revision pending,
 * say where the release stands as the cluster has it, and leave a state the next plain deploy
 * completes; overlapping deploys must both succeed, one after the other, without a failed
 * request. Like deploy.test.ts: a workspace copy, a namespace of its own, scenarios in order.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { connect } from '@todo/scripts/lib/kube.ts';
import { nx } from '@todo/scripts/lib/nx-run.ts';
import { componentService, localEndpoint } from '@todo/scripts/lib/port-forward.ts';
import {
  createScratchWorkspace,
  type ScratchWorkspace,
} from '@todo/scripts/lib/scratch-workspace.ts';
import { apiCall } from '@todo/scripts/lib/smoke-checks.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { ctr } from '../cluster/lib/containerd.ts';
import { type DeployEnv, RELEASE } from './support/deploy-env.ts';
import { imageRecord as imageRecordIn } from './support/deploy-run.ts';
import { deploySuite } from './support/suite.ts';
import { describeTraffic, underTraffic } from './support/traffic.ts';

// The side-load path: `docker save | ctr import` of a whole image takes seconds to stop in.
const NAMESPACE = 'todo-e2e-interrupt';
const suite = deploySuite(NAMESPACE, 'off');
const { deploy, imageRecord } = suite;
const { deployedRevision, kubectl, pods } = suite.view;
const RUN = randomBytes(4).toString('hex');
let edits = 0;

/**
 * A backend source change, so that the next deploy builds, transfers and upgrades; new in
 * every run of the suite, or the node would already hold its layers and import them at once.
 */
async function changeBackend(workspace: ScratchWorkspace = suite.scratch): Promise<void> {
  const file = 'apps/backend/src/main.ts';
  const text = await readFile(join(workspace.root, file), 'utf8');
  const current = /'shutting down[^']*'/.exec(text)?.[0] ?? "'shutting down'";
  await workspace.edit(file, current, `'shutting down (interrupt test ${RUN}.${++edits})'`);
}

type Stopped = { exitCode: number | null; output: string };

/** A running job: a wait for a line of its output, and the signal sent now. */
type Watch = { seen: (pattern: RegExp) => Promise<void>; stop: () => Promise<unknown> };

/**
 * `npx nx run infra:deploy`, stopped with `signal` once its output matches `when` and then
 * `ready()` holds (or when it calls `stop()`): to the job's process group, as a terminal sends
 * Ctrl-C, or as a CI runner stops a job.
 */
async function stoppedDeploy(
  signal: 'SIGINT' | 'SIGTERM',
  when: RegExp,
  ready: (watch: Watch) => Promise<void> = async () => {},
): Promise<Stopped> {
  const job: ChildProcess = suite.scratch.start(
    ['npx', 'nx', 'run', 'infra:deploy', '--outputStyle=stream'],
    suite.env,
  );
  let output = '';
  const waiting = new Set<{ pattern: RegExp; resolve: () => void }>();
  const check = () => {
    for (const waiter of waiting) {
      if (!waiter.pattern.test(stripVTControlCharacters(output))) continue;
      waiting.delete(waiter);
      waiter.resolve();
    }
  };
  const read = (chunk: Buffer) => {
    output += chunk;
    check();
  };
  job.stdout?.on('data', read);
  job.stderr?.on('data', read);
  const exited = new Promise<number | null>((resolve) => job.once('exit', resolve));
  let signalled = false;
  const stop = () => {
    if (!signalled && job.exitCode === null) process.kill(-(job.pid ?? 0), signal);
    signalled = true;
    return exited;
  };
  const watch: Watch = {
    seen: (pattern) =>
      new Promise((resolve) => {
        waiting.add({ pattern, resolve });
        check();
      }),
    stop,
  };
  await Promise.race([watch.seen(when), exited]);
  if (job.exitCode === null) {
    await Promise.race([ready(watch), exited]);
    stop();
  }
  const exitCode = await exited;
  // npx ends at once; Nx and its steps write on to the same pipes until they have said their
  // last word. Their output is whole when the pipes close (bounded: a step ends within 15 s).
  const closed = (stream: Readable | null) =>
    new Promise<void>((resolve) =>
      !stream || stream.closed ? resolve() : stream.once('close', () => resolve()),
    );
  await Promise.race([
    Promise.all([closed(job.stdout), closed(job.stderr)]),
    new Promise((resolve) => setTimeout(resolve, 20_000)),
  ]);
  return { exitCode, output: stripVTControlCharacters(output) };
}

/**
 * Holds a process still (SIGSTOP) for `ms`, then lets it go on: a stalled Docker daemon keeps a
 * build in flight when the signal comes, however fast this machine builds (a one-line backend
 * change builds in 0.3 s). Resolves once it goes on.
 */
function stalled(pid: number, ms: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  return new Promise((resolve) =>
    setTimeout(() => {
      process.kill(pid, 'SIGCONT');
      resolve();
    }, ms),
  );
}

/**
 * Pauses a component's container (containerd freezes its cgroup: it accepts connections and
 * answers none) until `work` is done: an app that hangs, in the middle of the smoke test.
 */
async function whilePaused<T>(component: string, work: () => Promise<T>): Promise<T> {
  const [pod] = await pods(component);
  const id = pod?.status.containerStatuses?.[0]?.containerID?.replace(/^\w+:\/\//, '');
  if (!id) throw new Error(`no running ${component} container to pause`);
  await ctr(['tasks', 'pause', id]);
  try {
    return await work();
  } finally {
    await ctr(['tasks', 'resume', id]);
  }
}

/** Processes still running whose command line matches: what a stopped deploy left behind. */
async function leftRunning(pattern: RegExp): Promise<string[]> {
  const listed = await $({ quiet: true })`ps -eo args=`;
  return listed.stdout.split('\n').filter((line) => pattern.test(line));
}

/** Processes still running in the workspace copy (Nx, its steps, their shells), as Linux has them. */
async function leftInWorkspace(): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (!cwd.startsWith(suite.scratch.root) || /^State:\s+Z/m.test(status)) continue;
    const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const state = /^State:\s+(.*)$/m.exec(status)?.[1] ?? '?';
    found.push(`${pid} (${state}) ${args.replaceAll('\0', ' ').trim()}`);
  }
  return found;
}

async function pendingRevisions(): Promise<string> {
  return kubectl([
    'get',
    'secrets',
    '-l',
    `owner=helm,name=${RELEASE},status in (pending-install,pending-upgrade,pending-rollback)`,
    '-o',
    'name',
  ]);
}

async function stepRecord(task: string): Promise<{ action: string; reason: string }> {
  const file = join(
    suite.scratch.root,
    'dist',
    'deploy',
    'steps',
    `${task.replace(':', '--')}.json`,
  );
  return JSON.parse(await readFile(file, 'utf8'));
}

/** The state a stopped deploy must leave: no lock, no pending revision, nothing of it running. */
async function expectCleanStop(): Promise<void> {
  expect((await kubectl(['get', 'leases', '-o', 'name'])).trim()).toBe('');
  expect((await pendingRevisions()).trim()).toBe('');
  expect(await leftRunning(new RegExp(`helm upgrade --install ${RELEASE} .*${NAMESPACE}`))).toEqual(
    [],
  );
  expect(await leftRunning(/docker save todo-chatbot\/|images import -/)).toEqual([]);
  expect(await leftRunning(/build --file \S+ --tag todo-chatbot\//)).toEqual([]);
  // npx ends at once on a signal; Nx and its steps end once they have said their last word.
  await expect.poll(leftInWorkspace, { timeout: 10_000, interval: 250 }).toEqual([]);
}

/** The next plain deploy completes what was stopped: the backend runs the new image. */
async function expectRedeployCompletes(label: string): Promise<void> {
  const revision = await deployedRevision();
  await deploy(label);
  expect(await deployedRevision()).toBeGreaterThan(revision);
  const tag = (await imageRecord('backend')).tag;
  const backend = await pods('backend');
  expect(backend.map((pod) => pod.status.containerStatuses?.[0]?.image)).toEqual(
    backend.map(() => expect.stringContaining(tag)),
  );
}

beforeAll(() => deploy('cold deploy'));

describe('22. Ctrl-C during the image transfer', () => {
  it('stops the transfer, touches no release, says where it stands; the next deploy completes', async () => {
    const revision = await deployedRevision();
    await changeBackend();
    const stopped = await stoppedDeploy(
      'SIGINT',
      /backend: \[minikube-load\] load todo-chatbot\/backend:\S+ \(containerd\)\.\.\./,
      () => new Promise((resolve) => setTimeout(resolve, 500)),
    );
    expect(stopped.exitCode, stopped.output.slice(-3000)).not.toBe(0);
    await expectCleanStop();
    expect(await deployedRevision()).toBe(revision);
    // Nx prints nothing a task says after a Ctrl-C: the step's record keeps its last word.
    const image = (await imageRecord('backend')).image;
    expect(await stepRecord('backend:minikube-load')).toEqual(
      expect.objectContaining({
        action: 'interrupted',
        reason: `stopped by SIGTERM; ${image} was not delivered and the release was not touched: the release is on revision ${revision}, which keeps serving`,
      }),
    );
    await expectRedeployCompletes('redeploy after Ctrl-C during the transfer');
  });
});

describe('23. a stop during the Helm upgrade', () => {
  const helmStarted = /\[helm-deploy\] helm v\S+ upgrade --install \S+\.\.\./;

  /** A code change deployed and stopped once Helm has written its pending revision. */
  async function stoppedInHelm(
    signal: 'SIGINT' | 'SIGTERM',
  ): Promise<{ output: string; serving: number }> {
    await changeBackend();
    const revision = await deployedRevision();
    const stopped = await stoppedDeploy(signal, helmStarted, () =>
      suite.view.pendingUpgrade(revision + 1),
    );
    expect(stopped.exitCode, stopped.output.slice(-3000)).not.toBe(0);
    await expectCleanStop();
    return { output: stopped.output, serving: await deployedRevision() };
  }

  it('cancelled CI job (SIGTERM): Helm cancels, the last line names the revision that serves', async () => {
    const { output, serving } = await stoppedInHelm('SIGTERM');
    expect(output).toContain('[helm-deploy] the deploy lock is released');
    expect(output).toMatch(
      new RegExp(
        `\\[helm-deploy\\] stopped by SIGTERM; the release is on revision ${serving}, which keeps serving`,
      ),
    );
    expect(output).not.toMatch(/Pods, events and logs are printed above/);
    await expectRedeployCompletes('redeploy after SIGTERM during Helm');
  });

  it('Ctrl-C: the same, its last word kept in the step record', async () => {
    const { serving } = await stoppedInHelm('SIGINT');
    expect((await stepRecord('infra:helm-deploy')).reason).toBe(
      `stopped by SIGTERM; the release is on revision ${serving}, which keeps serving`,
    );
    await expectRedeployCompletes('redeploy after Ctrl-C during Helm');
  });
});

describe('24. two deploys of different commits at once', () => {
  it('both exit 0, the release ends on the one that finished last, no request fails meanwhile', async () => {
    // Two backend replicas, as in scenario 7: a rollout keeps one serving.
    const replicas = 'dist/two-replicas.yaml';
    await writeFile(join(suite.scratch.root, replicas), 'backend:\n  replicaCount: 2\n');
    const values = `${suite.env.DEPLOY_VALUES},${replicas}`;
    const env: DeployEnv = { ...suite.env, DEPLOY_VALUES: values };
    await deploy('two backend replicas', undefined, env);
    await suite.view.waitReady('backend', 2);

    // The other CI job: a checkout of its own, at another commit, its frontend already built
    // so that both deploys reach Helm together.
    const other = await createScratchWorkspace(join(import.meta.dirname, '..', '..'));
    try {
      await mkdir(join(other.root, 'dist'), { recursive: true });
      for (const file of values.split(',').filter((path) => path.startsWith('dist/')))
        await copyFile(join(suite.scratch.root, file), join(other.root, file));
      const built = await nx(other, ['run', 'frontend:build'], env);
      expect(built.exitCode, built.output.slice(-2000)).toBe(0);
      await changeBackend(suite.scratch);
      await changeBackend(other);

      process.env.KUBECONFIG = env.KUBECONFIG;
      const kube = await connect(env.KUBE_CONTEXT);
      const frontend = await componentService(kube, NAMESPACE, RELEASE, 'frontend');
      const endpoint = await localEndpoint(kube, NAMESPACE, frontend);
      try {
        const call: Parameters<typeof underTraffic>[0] = (method, path, options) =>
          apiCall(endpoint.url, method, path, options);
        const email = `overlap-${randomBytes(4).toString('hex')}@example.com`;
        const signUp = await call('POST', '/api/auth/signup', {
          body: { email, password: 'correct horse battery staple', name: 'Overlap test' },
        });
        expect(signUp.status, signUp.text).toBe(201);
        const token = (signUp.body as { token: string }).token;

        const deployFrom = async (workspace: ScratchWorkspace) => {
          const run = await nx(workspace, ['run', 'infra:deploy'], env);
          return { workspace, run, finished: performance.now() };
        };
        const { value: runs, traffic } = await underTraffic(call, token, () =>
          Promise.all([deployFrom(suite.scratch), deployFrom(other)]),
        );
        console.log(`overlapping deploys under traffic: ${describeTraffic(traffic)}`);
        for (const { run } of runs) expect(run.exitCode, run.output.slice(-3000)).toBe(0);
        // Whether one waited for the other's lock depends on how their steps interleave (a
        // backend rollout now takes under 2 s); scenario 19 proves the wait itself. Either way
        // the release ends on the one that finished last.
        const waited = runs.some(({ run }) => /waiting for the deploy of /.test(run.output));
        console.log(`overlapping deploys: ${waited ? 'one waited for the other' : 'no wait'}`);
        const [last] = [...runs].sort((a, b) => b.finished - a.finished);
        const tag = (await imageRecordIn(last?.workspace ?? other, 'backend')).tag;
        const backend = await suite.view.waitReady('backend', 2);
        expect(backend.map((pod) => pod.status.containerStatuses?.[0]?.image)).toEqual(
          backend.map(() => expect.stringContaining(tag)),
        );
        expect(traffic.sent, describeTraffic(traffic)).toBeGreaterThan(100);
        expect(traffic.failed, describeTraffic(traffic)).toBe(0);
      } finally {
        endpoint.stop();
      }
    } finally {
      await other.remove();
    }
  });
});

describe('25. Ctrl-C during the image build', () => {
  it('stops docker build, says truly whether the image got tagged, touches no release; the next deploy completes', async () => {
    const revision = await deployedRevision();
    await changeBackend();
    const building = /backend: \[docker-build\] docker build (\S+)\.\.\./;
    const dockerd = Number((await $({ quiet: true })`pgrep -x -o dockerd`).stdout.trim());
    let daemon: Promise<void> = Promise.resolve();
    const stopped = await stoppedDeploy('SIGINT', building, async () => {
      daemon = stalled(dockerd, 2_000);
    });
    await daemon;
    expect(stopped.exitCode, stopped.output.slice(-3000)).not.toBe(0);
    const ref = building.exec(stopped.output)?.[1] ?? '';
    expect(ref).toMatch(/^todo-chatbot\/backend:/);
    await expectCleanStop();
    expect(await deployedRevision()).toBe(revision);
    const tagged = (await $({ nothrow: true, quiet: true })`docker image inspect ${ref}`).exitCode;
    expect(await stepRecord('backend:docker-build')).toEqual(
      expect.objectContaining({
        action: 'interrupted',
        reason: `stopped by SIGTERM; ${tagged === 0 ? `${ref} is built` : 'no image of backend was tagged'}; nothing on the cluster changed`,
      }),
    );
    await expectRedeployCompletes('redeploy after Ctrl-C during the image build');
  });
});

describe('26. a stop while the smoke test waits on an app that hangs', () => {
  it('ends the checks, says the release keeps serving; the next deploy smoke-tests it again', async () => {
    await changeBackend();
    const upgraded = /\[helm-deploy\] \S+ at revision \d+ \(upgraded\)/;
    // The frontend answers nothing from the moment the upgrade is done until the job has ended.
    const stopped = await stoppedDeploy('SIGTERM', upgraded, (watch) =>
      whilePaused('frontend', async () => {
        await watch.seen(/\[smoke-test\] revision \d+ via /);
        await new Promise((resolve) => setTimeout(resolve, 500));
        await watch.stop();
      }),
    );
    expect(stopped.exitCode, stopped.output.slice(-3000)).not.toBe(0);
    await expectCleanStop();
    const serving = await deployedRevision();
    expect(stopped.output).toContain(
      `[smoke-test] stopped by SIGTERM; the smoke test did not finish; the release is on revision ${serving}, which keeps serving`,
    );
    // A check cut short is not a failed one: no FAIL, no second round, no diagnostics.
    expect(stopped.output).not.toMatch(/\[smoke-test\] (FAIL|"[^"]+" failed while)/);
    expect(stopped.output).not.toMatch(/Pods, events and logs are printed above/);
    expect((await stepRecord('infra:smoke-test')).action).toBe('interrupted');

    // The upgrade stands; only the unfinished check is run again, not replayed from the cache.
    const again = await deploy('redeploy after a stop during the smoke test');
    expect(await deployedRevision()).toBe(serving);
    expect(again.output).toMatch(/\[smoke-test\] ok /);
    expect(await stepRecord('infra:smoke-test')).toEqual(
      expect.objectContaining({
        action: 'passed',
        reason: expect.stringContaining(`against revision ${serving}`),
      }),
    );
  });
});

describe('28. a stop while the Secret is written', () => {
  it('starts no Helm after the signal, leaves no lock; the next deploy applies the new Secret', async () => {
    const revision = await deployedRevision();
    const backendPods = await suite.view.podUids('backend');
    // A new JWT secret: the step writes the Secret before it takes the lock and calls Helm.
    await writeFile(
      suite.env.DEPLOY_ENV_FILE ?? '',
      `JWT_SECRET=${randomBytes(32).toString('hex')}\n`,
      { mode: 0o600 },
    );
    const apiServer = Number((await $({ quiet: true })`pgrep -x -o kube-apiserver`).stdout.trim());
    let resumed: Promise<void> = Promise.resolve();
    // The API server stalls as the Secret is written: the signal comes while the step waits on
    // it, with no child process of its own to stop.
    const stopped = await stoppedDeploy(
      'SIGTERM',
      /\[helm-deploy\] apply namespace \S+ and Secret \S+\.\.\./,
      async () => {
        resumed = stalled(apiServer, 2_000);
      },
    );
    await resumed;
    expect(stopped.exitCode, stopped.output.slice(-3000)).not.toBe(0);
    expect(stopped.output).not.toMatch(/upgrade --install/);
    expect(stopped.output).toContain(
      `[helm-deploy] stopped by SIGTERM; the release is on revision ${revision}, which keeps serving`,
    );
    await expectCleanStop();
    expect(await deployedRevision()).toBe(revision);

    await deploy('redeploy after a stop while the Secret was written');
    expect(await deployedRevision()).toBe(revision + 1);
    const restarted = await suite.view.podUids('backend');
    expect(restarted.some((uid) => backendPods.includes(uid))).toBe(false);
  });
});

describe('29. a first install that fails', () => {
  it('is removed by Helm, the deploy says nothing is installed, and the next deploy installs', async () => {
    const teardown = await suite.scratch.run(
      ['node', 'tools/scripts/teardown.ts', '--delete-data'],
      suite.env,
    );
    expect(teardown.exitCode, teardown.stderr).toBe(0);
    // A backend for a node that does not exist (requests too large would be refused before
    // Helm runs): the install waits, times out before the scheduling watch would stop it
    // (60 s), and Helm uninstalls it.
    const unschedulable = 'dist/unschedulable.yaml';
    await writeFile(
      join(suite.scratch.root, unschedulable),
      'backend:\n  nodeSelector: { todo-e2e/absent: "yes" }\n',
    );
    const failed = await nx(suite.scratch, ['run', 'infra:deploy'], {
      ...suite.env,
      DEPLOY_VALUES: `${suite.env.DEPLOY_VALUES},${unschedulable}`,
      DEPLOY_TIMEOUT_SECONDS: '10',
    });
    expect(failed.exitCode, failed.output.slice(-3000)).not.toBe(0);
    expect(failed.output).toContain(
      `release ${RELEASE} is not installed. Pods, events and logs are printed above.`,
    );
    expect(failed.output).toMatch(/didn't match Pod's node affinity\/selector/);
    const records = await kubectl([
      'get',
      'secrets',
      '-l',
      `owner=helm,name=${RELEASE}`,
      '-o',
      'name',
    ]);
    expect(records.trim()).toBe('');
    expect((await kubectl(['get', 'leases', '-o', 'name'])).trim()).toBe('');

    await deploy('install after a failed first install');
    expect(await deployedRevision()).toBeGreaterThanOrEqual(1);
    await suite.view.waitReady('backend', 1);
  });
});
