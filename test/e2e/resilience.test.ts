/**
 * What a user of the deployed app sees while the pipeline and the cluster do their work: a
 * browser journey through the frontend's NodePort, a backend rollout under a stream of
 * requests (zero downtime), a release whose readiness never passes (rolled back, the previous
 * version keeps serving), one the scheduler cannot place (stopped early, saying why) and data
 * that outlives pods and upgrades. Like deploy.test.ts: a copy
 * of this workspace, `npx nx run infra:deploy` as a user runs it, a namespace of its own, and
 * scenarios that build on each other in order. A failing one prints the Nx output and the
 * namespace's pods, events and logs.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from '@todo/scripts/lib/kube.ts';
import { type NxRun, nx } from '@todo/scripts/lib/nx-run.ts';
import { poll } from '@todo/scripts/lib/poll.ts';
import {
  componentService,
  localEndpoint,
  type PortForward,
} from '@todo/scripts/lib/port-forward.ts';
import {
  createScratchWorkspace,
  type ScratchWorkspace,
} from '@todo/scripts/lib/scratch-workspace.ts';
import { apiCall } from '@todo/scripts/lib/smoke-checks.ts';
import { launchChromium } from '@todo/test-support/chromium';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { namespaceView } from './support/cluster.ts';
import { type DeployEnv, deployEnv, RELEASE } from './support/deploy-env.ts';
import {
  type DeployContext,
  deleteNamespace,
  deployRun,
  explainRun,
  imageRecord as imageRecordIn,
} from './support/deploy-run.ts';
import { describeTraffic, underTraffic } from './support/traffic.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..');
const NAMESPACE = 'todo-e2e-resilience';
/**
 * The frontend's NodePort in this namespace. Not the chart's default 30080: a NodePort is
 * cluster-wide, and the `todo-e2e` release of deploy.test.ts holds that one.
 */
const NODE_PORT = 30181;
/** This file's values, written into the scratch copy and appended to DEPLOY_VALUES. */
const VALUES_FILE = 'test/e2e/values.resilience.yaml';
const SCREENSHOT_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e', 'screenshots');
const PASSWORD = 'correct horse battery staple';

const { clusterReport, deletePods, deployedRevision, podUids, restarts, waitGone, waitReady } =
  namespaceView(NAMESPACE);
let scratch: ScratchWorkspace;
let env: DeployEnv;
/** Where the frontend answers on 127.0.0.1: the NodePort, or a port-forward when it does not. */
let baseUrl: string;
let forward: Pick<PortForward, 'url' | 'stop'> | undefined;
/** Wall times of the deploys and of each scenario, written to test-results. */
const timings: Record<string, number> = {};

const ctx = (): DeployContext => ({ scratch, env, timings, clusterReport });
const deploy = (label: string) => deployRun(ctx(), label);
const explain = (run: NxRun, what: string) => explainRun(ctx(), run, what);

/** Runs a scenario body; a failure carries the namespace's pods, events and logs. */
async function scenario(label: string, body: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await body();
  } catch (error) {
    const report = await clusterReport().catch((e: Error) => `(no cluster report: ${e.message})`);
    (error as Error).message += `\n${report}`;
    throw error;
  } finally {
    timings[`scenario: ${label}`] = Number(((performance.now() - started) / 1000).toFixed(1));
  }
}

async function writeValues(values: string): Promise<void> {
  await writeFile(
    join(scratch.root, VALUES_FILE),
    `# Written by test/e2e/resilience.test.ts.\nfrontend:\n  service:\n    nodePort: ${NODE_PORT}\n${values}`,
  );
}

const imageRecord = (app: string) => imageRecordIn(scratch, app);

function helm(args: string[]) {
  return $({
    quiet: true,
    nothrow: true,
    env: { ...process.env, ...env },
  })`helm ${args} --namespace ${NAMESPACE} --kube-context ${env.KUBE_CONTEXT}`;
}

/**
 * Helm rolls back by writing the previous revision's manifests as a new one: the attempt after
 * `revision` failed, and `deployed` is "Rollback to <revision>".
 */
async function expectRolledBack(revision: number, deployed: number): Promise<void> {
  const history = JSON.parse((await helm(['history', RELEASE, '-o', 'json'])).stdout) as {
    revision: number;
    status: string;
    description: string;
  }[];
  const where = JSON.stringify(history);
  expect(history.find((entry) => entry.revision === revision + 1)?.status, where).toBe('failed');
  expect(history.find((entry) => entry.revision === deployed)?.description, where).toMatch(
    new RegExp(`Rollback to ${revision}\\b`),
  );
}

/** A call to the app through the frontend on 127.0.0.1. */
function api(method: string, path: string, options: Parameters<typeof apiCall>[3] = {}) {
  return apiCall(baseUrl, method, path, options);
}

async function signUp(email: string): Promise<string> {
  const answer = await api('POST', '/api/auth/signup', {
    body: { email, password: PASSWORD, name: 'Resilience test' },
  });
  if (answer.status !== 201) throw new Error(`sign-up: HTTP ${answer.status} ${answer.text}`);
  return (answer.body as { token: string }).token;
}

/** The frontend on 127.0.0.1: its NodePort if kube-proxy answers there, else a port-forward. */
async function frontendUrl(): Promise<string> {
  process.env.KUBECONFIG = env.KUBECONFIG;
  const kube = await connect(env.KUBE_CONTEXT);
  const service = await componentService(kube, NAMESPACE, RELEASE, 'frontend');
  forward = await localEndpoint(kube, NAMESPACE, service);
  if (!forward.url.endsWith(`:${NODE_PORT}`)) {
    console.warn(`NodePort ${NODE_PORT} did not answer; using a port-forward at ${forward.url}`);
  }
  return forward.url;
}

beforeAll(async () => {
  env = await deployEnv(NAMESPACE);
  env.DEPLOY_VALUES = `${env.DEPLOY_VALUES},${VALUES_FILE}`;
  // A clean namespace: the cold deploy starts from nothing.
  await deleteNamespace(env, NAMESPACE);
  scratch = await createScratchWorkspace(workspaceRoot);
  await writeValues('');
  await scratch.commit('resilience values: a NodePort of its own');
  await deploy('cold deploy');
  baseUrl = await frontendUrl();
}, 600_000);

afterAll(async () => {
  forward?.stop();
  // Frees NodePort 30181 and the shared cluster's CPU and memory, as deploy.test.ts does.
  if (env) await deleteNamespace(env, NAMESPACE);
  await mkdir(join(import.meta.dirname, '..', 'test-results', 'e2e'), { recursive: true });
  await writeFile(
    join(import.meta.dirname, '..', 'test-results', 'e2e', 'resilience-timings.json'),
    `${JSON.stringify(timings, null, 2)}\n`,
  ).catch(() => undefined);
  console.log('resilience timings (s):', timings);
  await scratch?.remove();
});

describe('browser journey through the NodePort', () => {
  it('signs up, adds a task, completes it, and has the assistant add "buy milk"', async () => {
    await scenario('browser journey', async () => {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      let step = 0;
      const shot = async (page: Page, name: string) => {
        step++;
        await page.evaluate('document.fonts.ready');
        await page.waitForTimeout(250);
        await page.screenshot({
          path: join(SCREENSHOT_DIR, `resilience-${String(step).padStart(2, '0')}-${name}.png`),
        });
      };
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        const url = (path: string) => `${baseUrl}${path}`;
        const task = (title: string) =>
          page
            .getByRole('list', { name: 'Tasks' })
            .getByRole('listitem')
            .filter({ hasText: title });

        await page.goto(url('/'));
        await shot(page, 'landing');

        await page.goto(url('/signup'));
        await page
          .getByLabel('Email')
          .fill(`browser-${randomBytes(4).toString('hex')}@example.com`);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Create account' }).click();
        await page.waitForURL(url('/tasks'));
        await page.getByText('No tasks yet').waitFor();
        await shot(page, 'signed-up');

        const form = page.getByRole('form', { name: 'Add a task' });
        await form.getByLabel('New task').fill('Check the cluster');
        await form.getByRole('button', { name: 'Add task' }).click();
        await task('Check the cluster').waitFor();
        await shot(page, 'task-added');

        const checkbox = task('Check the cluster').getByRole('checkbox');
        await checkbox.check();
        await page
          .locator('[data-completed="true"]')
          .filter({ hasText: 'Check the cluster' })
          .waitFor();
        expect(await checkbox.isChecked()).toBe(true);
        await shot(page, 'task-completed');

        const assistant = page.getByRole('region', { name: 'Assistant' });
        await assistant.getByLabel('Message the assistant').fill('add buy milk');
        await assistant.getByRole('button', { name: 'Send' }).click();
        const actions = assistant.getByRole('list', { name: 'Actions the assistant took' });
        await actions.waitFor();
        expect(await actions.textContent()).toMatch(/Added #\d+ “buy milk”/);
        await task('buy milk').waitFor();
        expect(await page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').count()).toBe(
          2,
        );
        await shot(page, 'assistant-added-task');
      } finally {
        await browser.close();
      }
    });
  });
});

describe('15. floods of unauthenticated requests', () => {
  it('50 sign-ups and logins at once, then 20 uploads of 50 MB at once: clear answers, no pod restarted', async () => {
    await scenario('15. floods', async () => {
      const components = ['backend', 'frontend'] as const;
      const before = await Promise.all(
        components.map(async (c) => ({ uids: await podUids(c), restarts: await restarts(c) })),
      );
      const known = `flood-${randomBytes(4).toString('hex')}@example.com`;
      await signUp(known);

      // scrypt holds 128 MiB per hash: unbounded, a few at once took the backend past its limit.
      const auth = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0
            ? api('POST', '/api/auth/signup', {
                body: { email: `flood-${i}-${known}`, password: PASSWORD },
                timeoutMs: 60_000,
              })
            : api('POST', '/api/auth/login', {
                body: { email: known, password: 'a wrong one' },
                timeoutMs: 60_000,
              }),
        ),
      );
      const authStatuses = auth.map((answer) => answer.status);
      expect(
        authStatuses.every((s) => [201, 401, 429].includes(s)),
        String(authStatuses),
      ).toBe(true);
      expect(authStatuses).toContain(201);
      for (const answer of auth.filter((a) => a.status === 429)) {
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      }

      // Each body is generated as it is sent; the frontend must refuse it after its first MB.
      const upload = () => {
        let sent = 0;
        const chunk = new Uint8Array(256 * 1024).fill(32);
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= 50 * 1024 * 1024) return controller.close();
            sent += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        return fetch(`${baseUrl}/api/tasks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          duplex: 'half',
        } as RequestInit).then((response) => response.status);
      };
      const uploadStatuses = await Promise.all(Array.from({ length: 20 }, upload));
      expect(uploadStatuses).toEqual(uploadStatuses.map(() => 413));

      const after = await Promise.all(
        components.map(async (c) => ({ uids: await podUids(c), restarts: await restarts(c) })),
      );
      expect(after).toEqual(before);
      expect((await api('GET', '/api/readyz')).status).toBe(200);
    });
  });
});

describe('7. zero-downtime rollout', () => {
  it('a backend rollout under a stream of requests fails none of them', async () => {
    await scenario('7. zero-downtime rollout', async () => {
      await writeValues('backend:\n  replicaCount: 2\n');
      await scratch.commit('resilience values: two backend replicas');
      await deploy('two backend replicas');
      await waitReady('backend', 2);

      const token = await signUp(`rollout-${randomBytes(4).toString('hex')}@example.com`);
      const before = await podUids('backend');
      const oldTag = (await imageRecord('backend')).tag;
      await scratch.edit(
        'apps/backend/src/main.ts',
        "'shutting down'",
        "'shutting down (e2e rollout under traffic)'",
      );
      await scratch.commit('backend-only change under traffic');

      const {
        value: { run, drained },
        traffic: result,
      } = await underTraffic(api, token, async () => {
        const run = await deploy('backend rollout under traffic');
        // Helm returns once the new pods are Ready; the old ones still wait out their preStop
        // pause and drain after that. The stream runs on until they are gone.
        return { run, drained: await waitGone(before) };
      });
      timings['old backend pods gone after the deploy'] = Number(drained.toFixed(1));
      console.log(`rollout traffic: ${describeTraffic(result)}`);

      expect(run.executed).toEqual(
        expect.arrayContaining(['backend:docker-build', 'infra:helm-deploy']),
      );
      const newTag = (await imageRecord('backend')).tag;
      expect(newTag).not.toBe(oldTag);
      const after = await waitReady('backend', 2);
      expect(after.map((pod) => pod.metadata.uid).filter((uid) => before.includes(uid))).toEqual(
        [],
      );
      expect(after.map((pod) => pod.status.containerStatuses?.[0]?.image)).toEqual(
        after.map(() => expect.stringContaining(newTag)),
      );
      expect(result.sent, describeTraffic(result)).toBeGreaterThan(100);
      expect(result.failed, describeTraffic(result)).toBe(0);
    });
  });
});

describe('8. broken release', () => {
  it('a release whose readiness never passes fails, is rolled back, and the previous one keeps serving', async () => {
    await scenario('8. broken release', async () => {
      const revision = await deployedRevision();
      const goodTag = (await imageRecord('backend')).tag;
      const before = await podUids('backend');
      const token = await signUp(`broken-${randomBytes(4).toString('hex')}@example.com`);
      await scratch.edit(
        'apps/backend/src/health/health-routes.ts',
        "app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, readiness);",
        "app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) =>\n    reply.status(503).send({ status: 'unavailable', reason: 'e2e broken release' }),\n  );",
      );
      await scratch.commit('broken release: readiness never passes');

      const { value: run, traffic: result } = await underTraffic(api, token, () =>
        nx(scratch, ['run', 'infra:deploy'], { ...env, DEPLOY_TIMEOUT_SECONDS: '60' }),
      );
      timings['broken release (fails)'] = Number(run.seconds.toFixed(1));
      console.log(`broken-release traffic: ${describeTraffic(result)}`);
      const why = await explain(run, 'the broken release');

      expect(run.exitCode, why).not.toBe(0);
      expect((await imageRecord('backend')).tag, why).not.toBe(goodTag);
      // Helm's own error, then where the release stands.
      const message = /\[helm-deploy\].*the release is on revision (\d+), which keeps serving/.exec(
        run.output,
      );
      expect(message?.[0], why).toMatch(/(fail|deadline|timed out|timeout)/i);
      const deployed = await deployedRevision();
      expect(Number(message?.[1]), why).toBe(deployed);
      await expectRolledBack(revision, deployed);
      const backend = await waitReady('backend', 2);
      expect(backend.map((pod) => pod.status.containerStatuses?.[0]?.image)).toEqual(
        backend.map(() => expect.stringContaining(goodTag)),
      );
      expect(await podUids('backend')).toEqual(before);
      expect(result.sent, describeTraffic(result)).toBeGreaterThan(100);
      expect(result.failed, describeTraffic(result)).toBe(0);
      expect((await api('GET', '/api/readyz')).status).toBe(200);

      const revert = await scratch.run(['git', 'revert', '--no-edit', 'HEAD']);
      expect(revert.exitCode, revert.stderr).toBe(0);
    });
  });
});

describe('8b. a release the scheduler cannot place', () => {
  it('stops once a pod has been unschedulable for DEPLOY_UNSCHEDULABLE_SECONDS, says why and what to do, rolls back, and the previous one keeps serving', async () => {
    await scenario('8b. unschedulable release', async () => {
      const revision = await deployedRevision();
      const before = await podUids('backend');
      const token = await signUp(`unplaced-${randomBytes(4).toString('hex')}@example.com`);
      // Requests too large are caught before Helm runs (8c); a selector is the scheduler's call.
      await writeValues(
        'backend:\n  replicaCount: 2\n  nodeSelector: { todo-e2e/absent: "yes" }\n',
      );
      await scratch.commit('a backend for a node that does not exist');

      const { value: run, traffic: result } = await underTraffic(api, token, () =>
        nx(scratch, ['run', 'infra:deploy'], { ...env, DEPLOY_UNSCHEDULABLE_SECONDS: '20' }),
      );
      timings['unschedulable release (fails)'] = Number(run.seconds.toFixed(1));
      const why = await explain(run, 'the unschedulable release');

      expect(run.exitCode, why).not.toBe(0);
      // The scheduler's reason and the fix, not Helm's timeout (DEPLOY_TIMEOUT_SECONDS is 240).
      expect(run.output, why).toMatch(
        new RegExp(
          `\\[helm-deploy\\] pod ${RELEASE}-todo-chatbot-backend-\\S+ could not be scheduled for (2\\d|3\\d) s \\(0/1 nodes are available: 1 node\\(s\\) didn't match Pod's node affinity/selector[^)]*\\): no node carries the labels the pod asks for: check backend\\.nodeSelector and affinity in your values`,
        ),
      );
      expect(run.output, why).not.toContain('context deadline exceeded');
      expect(run.output, why).toMatch(/recent warnings[\s\S]*FailedScheduling/);
      // The attempt failed and the deploy rolled back to the revision that served.
      const deployed = await deployedRevision();
      expect(deployed, why).toBeGreaterThan(revision + 1);
      await expectRolledBack(revision, deployed);
      expect(run.output, why).toContain(
        `the release is on revision ${deployed}, which keeps serving`,
      );
      // No surge pod is left pending, and the pods that served were never replaced.
      await waitReady('backend', 2);
      expect(await podUids('backend')).toEqual(before);
      expect(result.failed, describeTraffic(result)).toBe(0);

      const revert = await scratch.run(['git', 'revert', '--no-edit', 'HEAD']);
      expect(revert.exitCode, revert.stderr).toBe(0);
    });
  });
});

describe('8c. a release that does not fit', () => {
  it('is refused before Helm runs, naming the component, the quota or node, and by how much', async () => {
    await scenario('8c. release that does not fit', async () => {
      const revision = await deployedRevision();
      const before = await podUids('backend');
      await writeValues(
        'backend:\n  replicaCount: 2\n  resources:\n    requests: { cpu: "64" }\n    limits: { cpu: "64" }\nnamespaceQuota:\n  hard: { pods: "4" }\n',
      );
      await scratch.commit('a backend no node has room for, in a namespace of four pods');

      const run = await nx(scratch, ['run', 'infra:deploy'], env);
      timings['release that does not fit (refused)'] = Number(run.seconds.toFixed(1));
      const why = await explain(run, 'the release that does not fit');
      expect(run.exitCode, why).not.toBe(0);
      expect(run.output, why).toContain(
        'the release does not fit, so Helm was not run and the release is unchanged:',
      );
      expect(run.output, why).toMatch(
        /backend pods request 64 CPU each and the largest node has \d+(\.\d+)? allocatable: short by [\d.]+; lower backend\.resources\.requests\.cpu in your values/,
      );
      expect(run.output, why).toMatch(
        new RegExp(
          `ResourceQuota ${RELEASE}-todo-chatbot-quota: the release needs pods 9 \\(backend 2 × 1, backend \\(rollout surge\\) 1, .*\\) and it allows 4: short by 5; raise namespaceQuota\\.hard`,
        ),
      );
      expect(run.output, why).not.toContain('upgrade --install');
      expect(await deployedRevision()).toBe(revision);
      expect(await podUids('backend')).toEqual(before);
      // The doctor runs the same check, any time.
      const doctor = await nx(scratch, ['run', 'infra:doctor'], env);
      expect(doctor.exitCode, doctor.output.slice(-3000)).not.toBe(0);
      expect(doctor.output).toMatch(
        /fail +the release does not fit: .*backend pods request 64 CPU each and the largest node has/,
      );

      const revert = await scratch.run(['git', 'revert', '--no-edit', 'HEAD']);
      expect(revert.exitCode, revert.stderr).toBe(0);
    });
  });
});

describe('9. persistence', () => {
  it('a user and their tasks outlive backend pods, the database pod and an upgrade', async () => {
    await scenario('9. persistence', async () => {
      const email = `persist-${randomBytes(4).toString('hex')}@example.com`;
      const token = await signUp(email);
      const titles = ['persist one', 'persist two', 'persist three'];
      for (const title of titles) {
        const created = await api('POST', '/api/tasks', { token, body: { title } });
        expect(created.status, created.text).toBe(201);
      }
      const list = await api('GET', '/api/tasks?status=all', { token });
      const first = (list.body as { items: { id: number; title: string }[] }).items.find(
        (task) => task.title === 'persist two',
      );
      const done = await api('PATCH', `/api/tasks/${first?.id}`, {
        token,
        body: { completed: true },
      });
      expect(done.status, done.text).toBe(200);

      const snapshot = async () => {
        const list = await api('GET', '/api/tasks?status=all', { token: await logIn() });
        expect(list.status, list.text).toBe(200);
        return (list.body as { items: { id: number; title: string; completed: boolean }[] }).items
          .map(({ id, title, completed }) => ({ id, title, completed }))
          .sort((a, b) => a.id - b.id);
      };
      /** Logs in; retries while the backend is still reconnecting (5xx or no answer). */
      // Until the backend answers after its restart; a 4xx is an answer, and final.
      const logIn = async (): Promise<string> => {
        let refused: string | undefined;
        return poll(
          async () => {
            const answer = await api('POST', '/api/auth/login', {
              body: { email, password: PASSWORD },
            });
            if (answer.status === 200) return (answer.body as { token: string }).token;
            const last = `HTTP ${answer.status} ${answer.text.slice(0, 200)}`;
            if (answer.status >= 400 && answer.status < 500)
              refused = `log in as ${email}: ${last}`;
            throw new Error(last);
          },
          {
            timeoutMs: 24_000,
            intervalMs: 3000,
            stopped: () => refused,
            timeoutMessage: (last) => `log in as ${email}: ${last}`,
          },
        );
      };

      const expected = await snapshot();
      expect(expected.map((task) => [task.title, task.completed])).toEqual([
        ['persist one', false],
        ['persist two', true],
        ['persist three', false],
      ]);

      // (a) the backend pods go away.
      const backendPods = await podUids('backend');
      await deletePods('backend');
      await waitReady('backend', backendPods.length, backendPods);
      expect(await snapshot()).toEqual(expected);

      // (b) the database pod goes away (the StatefulSet makes it again, on the same volume).
      const databasePods = await podUids('postgresql');
      await deletePods('postgresql');
      await waitReady('postgresql', 1, databasePods);
      await waitReady('backend', backendPods.length);
      expect(await snapshot()).toEqual(expected);

      // (c) an upgrade that rolls the backend and the database.
      const revision = await deployedRevision();
      const upgradePods = await podUids('postgresql');
      // Only the backend rolls: (b) already restarted the database, and a backend pod that
      // starts while the database is down exits and backs off (CrashLoopBackOff), which made an
      // upgrade rolling both take 199 s of the 240 s timeout here.
      await writeValues(
        'backend:\n  replicaCount: 2\n  resources:\n    limits: { cpu: 500m, memory: 400Mi }\n',
      );
      await scratch.commit('upgrade: backend memory limit');
      const backendBefore = await podUids('backend');
      await deploy('upgrade with persistent data');
      expect(await deployedRevision()).toBe(revision + 1);
      expect(await podUids('postgresql')).toEqual(upgradePods);
      await waitReady('backend', 2, backendBefore);
      expect(await snapshot()).toEqual(expected);
    });
  });
});
