/**
 * The deploy pipeline on a real cluster, driven exactly as a user drives it: `npx nx run
 * infra:deploy` and `npx nx affected -t deploy` in a copy of this workspace (its own git
 * history, so changes can be committed). The scenarios build on each other and run in order.
 * A failing one prints the Nx output and the namespace's pods, events and logs.
 */
import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nx, tasksOf } from '@todo/scripts/lib/nx-run.ts';
import {
  createScratchWorkspace,
  type ScratchWorkspace,
} from '@todo/scripts/lib/scratch-workspace.ts';
import { STATE_SOCKET } from '@todo/scripts/lib/state-server.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { imageOnNode, namespaceView, removeImageFromNode } from './support/cluster.ts';
import { type DeployEnv, deployEnv, RELEASE } from './support/deploy-env.ts';
import {
  type DeployContext,
  deleteNamespace,
  deployRun,
  imageRecord as imageRecordIn,
} from './support/deploy-run.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..');
const NAMESPACE = 'todo-e2e';
const { clusterReport, deployedRevision, kubectl, pendingUpgrade, pods, podUids } =
  namespaceView(NAMESPACE);
let scratch: ScratchWorkspace;
let env: DeployEnv;
/** Wall times of the scenarios' deploys, written to test-results for the README's table. */
const timings: Record<string, number> = {};

const ctx = (): DeployContext => ({ scratch, env, timings, clusterReport });
const deploy = (label: string, args?: string[], extraEnv?: Record<string, string>) =>
  deployRun(ctx(), label, args, extraEnv);
const imageRecord = (app: string) => imageRecordIn(scratch, app);

/** The chart's name for a component's Deployment in this release, found by label. */
const deploymentName = (component: string) =>
  kubectl([
    'get',
    'deployment',
    '-l',
    `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=${component}`,
    '-o',
    'jsonpath={.items[0].metadata.name}',
  ]);

async function allReady(): Promise<boolean> {
  const list = await pods();
  return (
    list.length > 0 && list.every((pod) => pod.status.containerStatuses?.every((c) => c.ready))
  );
}

beforeAll(async () => {
  // The side-load path (containerd import); registry.test.ts covers the registry transport.
  env = await deployEnv(NAMESPACE, 'off');
  // A clean namespace: the cold deploy starts from nothing.
  await deleteNamespace(env, NAMESPACE);
  scratch = await createScratchWorkspace(workspaceRoot);
});

afterAll(async () => {
  // Frees the fixed NodePort (30080) for the next test file's release.
  await deleteNamespace(env, NAMESPACE);
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
    // Everything above (app pods, the database, the hook Job, the test pods below) was
    // admitted by a namespace that enforces the restricted Pod Security Standard.
    const labels = JSON.parse(
      await kubectl(['get', 'namespace', NAMESPACE, '-o', 'jsonpath={.metadata.labels}']),
    );
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const helmTest = await $({
      nothrow: true,
      quiet: true,
      env: { ...process.env, ...env },
    })`helm test ${RELEASE} --namespace ${NAMESPACE} --kube-context ${env.KUBE_CONTEXT}`;
    expect(helmTest.exitCode, helmTest.stdout + helmTest.stderr).toBe(0);
    // The migration Job is a hook that deletes itself on success; Helm's record keeps its run.
    const status = await $({
      quiet: true,
      env: { ...process.env, ...env },
    })`helm status ${RELEASE} --namespace ${NAMESPACE} --kube-context ${env.KUBE_CONTEXT} -o json`;
    const hooks = JSON.parse(status.stdout).hooks as {
      kind: string;
      events: string[];
      last_run: { phase: string };
    }[];
    expect(
      hooks.filter((hook) => hook.kind === 'Job' && hook.events.includes('post-install')),
    ).toEqual([
      expect.objectContaining({ last_run: expect.objectContaining({ phase: 'Succeeded' }) }),
    ]);
    const report = JSON.parse(
      await readFile(join(scratch.root, 'dist', 'deploy-report.json'), 'utf8'),
    );
    expect(report.steps.map((s: { task: string }) => s.task)).toContain('infra:smoke-test');
  });

  it('with its NetworkPolicies enforced, a pod outside the release reaches the frontend but neither the backend nor PostgreSQL', async () => {
    const address = async (component: string) =>
      (
        await kubectl([
          'get',
          'service',
          '-l',
          `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=${component}`,
          '-o',
          'jsonpath={.items[0].metadata.name}:{.items[0].spec.ports[0].port}',
        ])
      ).trim();
    // The backend's own image, pod and container security settings: the namespace admits
    // only restricted pods, and the image has node for the probe.
    const backend = JSON.parse(
      await kubectl(['get', 'deployment', await deploymentName('backend'), '-o', 'json']),
    ).spec.template.spec;
    const outsider = 'outsider';
    const overrides = {
      spec: {
        securityContext: backend.securityContext,
        containers: [
          {
            name: outsider,
            image: backend.containers[0].image,
            imagePullPolicy: 'IfNotPresent',
            command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'],
            securityContext: backend.containers[0].securityContext,
          },
        ],
      },
    };
    const connect = (target: string) => {
      const [host, port] = target.split(':');
      return `const s = require('node:net').connect({ host: '${host}', port: ${port} }); s.setTimeout(3000); s.on('connect', () => { console.log('open'); process.exit(); }); s.on('timeout', () => { console.log('blocked'); process.exit(); }); s.on('error', () => { console.log('blocked'); process.exit(); });`;
    };
    await kubectl([
      'run',
      outsider,
      '--restart=Never',
      `--image=${backend.containers[0].image}`,
      `--overrides=${JSON.stringify(overrides)}`,
    ]);
    try {
      await kubectl(['wait', '--for=condition=Ready', `pod/${outsider}`, '--timeout=90s']);
      const reach = async (component: string) =>
        (
          await kubectl(['exec', outsider, '--', 'node', '-e', connect(await address(component))])
        ).trim();
      expect(await reach('frontend')).toBe('open');
      expect(await reach('backend')).toBe('blocked');
      expect(await reach('postgresql')).toBe('blocked');
    } finally {
      await kubectl(['delete', 'pod', outsider, '--grace-period=0', '--wait=false']).catch(
        () => undefined,
      );
    }
  });
});

describe('2. no-change redeploy', () => {
  it('builds nothing, loads nothing, leaves Helm and the pods alone', async () => {
    const revision = await deployedRevision();
    const backendPods = await podUids('backend');
    const frontendPods = await podUids('frontend');
    // The first run after the cold deploy already replays every step: each runtime input
    // reads the same before its step made the state good and after (lib/runtime-ledger.ts).
    const first = await deploy('no-change redeploy (first after the cold deploy)');
    const run = await deploy('no-change redeploy');
    for (const fresh of [first.fresh, run.fresh]) {
      expect(fresh).not.toMatch(/docker build todo-chatbot/);
      expect(fresh).not.toMatch(/\[minikube-load\] load /);
      expect(fresh).not.toMatch(/upgrade --install/);
    }
    expect(first.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
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
    // The next run replays every step, the ones that just ran included.
    const next = await deploy('no-change redeploy right after the backend change');
    expect(next.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
  });
});

describe('4. frontend-only change', () => {
  it('rebuilds and reloads only the frontend and replaces only frontend pods', async () => {
    const backendPods = await podUids('backend');
    const backendImage = await imageRecord('backend');
    const frontendImage = await imageRecord('frontend');
    await scratch.edit(
      'apps/frontend/src/app/not-found.tsx',
      'This page drifted off',
      'This page drifted away',
    );
    await scratch.commit('frontend-only change');

    const run = await deploy('frontend-only change', ['affected', '-t', 'deploy', '--base=HEAD~1']);
    expect(run.executed.filter((task) => task.startsWith('backend:'))).toEqual([]);
    expect(run.fresh).not.toMatch(/docker build todo-chatbot\/backend/);
    expect(run.fresh).not.toMatch(/\[minikube-load\] load todo-chatbot\/backend/);
    expect(run.executed).toEqual(
      expect.arrayContaining(['frontend:build', 'frontend:docker-build', 'frontend:minikube-load']),
    );
    expect((await imageRecord('frontend')).tag).not.toBe(frontendImage.tag);
    expect(await imageRecord('backend')).toEqual(backendImage);
    expect(await podUids('backend')).toEqual(backendPods);
  });
});

describe('14. edits that compile to the same code', () => {
  it('a comment-only frontend edit and reformatted shared configs deploy nothing', async () => {
    const revision = await deployedRevision();
    const backendPods = await podUids('backend');
    const frontendPods = await podUids('frontend');
    const images = {
      backend: await imageRecord('backend'),
      frontend: await imageRecord('frontend'),
    };
    await scratch.edit(
      'apps/frontend/src/app/not-found.tsx',
      'export default',
      '// A comment-only edit.\n\n\nexport default',
    );
    for (const config of ['tsconfig.base.json', 'biome.json']) {
      const file = join(scratch.root, config);
      const settings = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, `${JSON.stringify(settings, null, 4)}\n`);
    }
    await scratch.commit('comment-only and formatting-only edits');

    const run = await deploy('edits that compile to the same code', [
      'affected',
      '-t',
      'deploy',
      '--base=HEAD~1',
    ]);
    // tsconfig.base.json is an input of both builds, so they run, and compile to the same code.
    expect(run.executed).toEqual(expect.arrayContaining(['frontend:build', 'backend:build']));
    expect(run.fresh).not.toMatch(/docker build todo-chatbot/);
    expect(run.fresh).not.toMatch(/\[minikube-load\] load /);
    expect(run.fresh).not.toMatch(/upgrade --install/);
    expect(await imageRecord('backend')).toEqual(images.backend);
    expect(await imageRecord('frontend')).toEqual(images.frontend);
    expect(await deployedRevision()).toBe(revision);
    expect(await podUids('backend')).toEqual(backendPods);
    expect(await podUids('frontend')).toEqual(frontendPods);
  });
});

describe('5. chart value change', () => {
  it('upgrades the release without rebuilding or reloading any image', async () => {
    const revision = await deployedRevision();
    const backendPods = await podUids('backend');
    await scratch.edit(
      'infra/helm/todo-chatbot/values.local.yaml',
      'frontend:\n  replicaCount: 1\n  readinessProbe: wait\n  resources:\n    requests: { cpu: 50m, memory: 96Mi }\n    limits: { memory: 384Mi }',
      'frontend:\n  replicaCount: 1\n  readinessProbe: wait\n  resources:\n    requests: { cpu: 50m, memory: 96Mi }\n    limits: { memory: 448Mi }',
    );
    await scratch.commit('chart value change: frontend memory limit');

    const run = await deploy('chart value change', ['affected', '-t', 'deploy', '--base=HEAD~1']);
    expect(
      run.executed.filter((task) => /:(build|docker-build|minikube-load)$/.test(task)),
    ).toEqual([]);
    expect(run.fresh).not.toMatch(/docker build todo-chatbot/);
    expect(run.fresh).not.toMatch(/\[minikube-load\] load /);
    expect(run.executed).toContain('infra:helm-deploy');
    expect(run.output).toMatch(/upgrade --install/);
    expect(await deployedRevision()).toBe(revision + 1);
    // Only the frontend's pod template changed; the backend keeps its pods.
    expect(await podUids('backend')).toEqual(backendPods);
  });
});

describe('27. affected since what is deployed', () => {
  const head = async () => (await scratch.run(['git', 'rev-parse', 'HEAD'])).stdout.trim();
  const deployedCommit = () => scratch.run(['node', 'tools/scripts/deployed-commit.ts'], env);
  /**
   * CI's deploy job as both CI definitions run it (`npm run ci:deploy`, which runs
   * deploy-affected.ts), with Nx's stream output so that the tasks it ran can be read.
   */
  const deployAffected = async () => {
    const result = await scratch.run(
      ['npm', 'run', '--silent', 'ci:deploy', '--', '--outputStyle=stream'],
      env,
    );
    const output = result.stdout + result.stderr;
    expect(result.exitCode, output.slice(-4000)).toBe(0);
    expect(output).toContain('[ci-deploy] report: dist/deploy-report.json');
    const report = JSON.parse(
      await readFile(join(scratch.root, 'dist/deploy-report.json'), 'utf8'),
    );
    expect(report.steps.length).toBeGreaterThan(0);
    return { output, ...tasksOf(output) };
  };

  it('deploys every change since the deployed commit, however many commits landed since', async () => {
    const printed = await deployedCommit();
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect(printed.stdout.trim()).toBe(await head());
    const deployed = printed.stdout.trim();

    // Two commits since the deploy: the backend change is not in HEAD~1..HEAD.
    const backendImage = await imageRecord('backend');
    const frontendPods = await podUids('frontend');
    await scratch.edit(
      'apps/backend/src/main.ts',
      "'shutting down (e2e backend change)'",
      "'shutting down (e2e affected since deployed)'",
    );
    await scratch.commit('backend change, not deployed');
    await scratch.edit('README.md', '# ', '# (affected since deployed) ');
    await scratch.commit('docs change, not deployed');

    const run = await deployAffected();
    expect(run.output).toContain(
      `[deploy-affected] revision ${(await deployedRevision()) - 1} of ${NAMESPACE}/${RELEASE} was deployed from commit ${deployed.slice(0, 12)}: deploying what changed since`,
    );
    expect(run.executed).toEqual(
      expect.arrayContaining(['backend:docker-build', 'infra:helm-deploy', 'infra:smoke-test']),
    );
    expect(run.executed.filter((task) => task.startsWith('frontend:'))).toEqual([]);
    const tag = (await imageRecord('backend')).tag;
    expect(tag).not.toBe(backendImage.tag);
    const backend = await pods('backend');
    expect(backend.map((pod) => pod.status.containerStatuses?.[0]?.image)).toEqual(
      backend.map(() => expect.stringContaining(tag)),
    );
    expect(await podUids('frontend')).toEqual(frontendPods);
    expect((await deployedCommit()).stdout.trim()).toBe(await head());
  });

  it('deploys everything, saying why, when the release was deployed from uncommitted changes', async () => {
    // The migration Job's limit: an upgrade that restarts no pod.
    await scratch.edit(
      'infra/helm/todo-chatbot/values.local.yaml',
      'migrations:\n  resources:\n    requests: { cpu: 50m, memory: 96Mi }\n    limits: { memory: 384Mi }',
      'migrations:\n  resources:\n    requests: { cpu: 50m, memory: 96Mi }\n    limits: { memory: 448Mi }',
    );
    await deploy('deploy of uncommitted changes');
    const printed = await deployedCommit();
    expect(printed.exitCode).toBe(1);
    expect(printed.stdout).toBe('');
    expect(printed.stderr).toContain(
      `was deployed from uncommitted changes on top of commit ${(await head()).slice(0, 12)}: deploying everything`,
    );
    await scratch.commit('the values change, committed after its deploy');
    const revision = await deployedRevision();
    const run = await deployAffected();
    expect(run.output).toMatch(/\[deploy-affected\] npx nx run infra:deploy/);
    // Everything is already there: the full deploy is a replay.
    expect(run.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
    expect(await deployedRevision()).toBe(revision);
  });
});

describe('6. .env secret change', () => {
  it('restarts exactly the pods that read the secret', async () => {
    const frontendPods = await podUids('frontend');
    const databasePods = await podUids('postgresql');
    const backendPods = await podUids('backend');
    await writeFile(env.DEPLOY_ENV_FILE ?? '', `JWT_SECRET=${'e2e'.repeat(12)}rotated\n`);

    const run = await deploy('secret change');
    expect(run.output).toMatch(/upgrade --install/);
    expect(await podUids('frontend')).toEqual(frontendPods);
    expect(await podUids('postgresql')).toEqual(databasePods);
    expect(await podUids('backend')).not.toEqual(backendPods);
    expect(run.output).not.toContain('e2ee2ee2e');
  });
});

describe('16. a key removed from .env', () => {
  const appSecret = async () =>
    JSON.parse(
      await kubectl([
        'get',
        'secrets',
        '-l',
        'app.kubernetes.io/managed-by=todo-chatbot-deploy',
        '-o',
        'jsonpath={.items[0].data}',
      ]),
    ) as Record<string, string>;

  it('is removed from the Secret too, and the pods that read it restart without it', async () => {
    const envFile = env.DEPLOY_ENV_FILE ?? '';
    const jwt = `JWT_SECRET=${'e2e'.repeat(12)}rotated\n`;
    await writeFile(envFile, `${jwt}LLM_API_KEY=sk-e2e-soon-revoked\n`);
    const added = await deploy('LLM_API_KEY added to .env');
    expect(Object.keys(await appSecret()).sort()).toEqual(['JWT_SECRET', 'LLM_API_KEY']);
    expect(added.output).not.toContain('sk-e2e-soon-revoked');

    const backendPods = await podUids('backend');
    await writeFile(envFile, jwt);
    const removed = await deploy('LLM_API_KEY removed from .env');
    expect(removed.output).toMatch(/LLM_API_KEY no longer in the env file, removed/);
    expect(Object.keys(await appSecret())).toEqual(['JWT_SECRET']);
    expect(await podUids('backend')).not.toEqual(backendPods);
    expect(removed.output).not.toContain('sk-e2e-soon-revoked');
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

describe('13. changes made by hand are repaired', () => {
  let backend: string;
  let frontend: string;
  const envNames = async (deployment: string) =>
    (
      await kubectl([
        'get',
        'deployment',
        deployment,
        '-o',
        'jsonpath={.spec.template.spec.containers[0].env[*].name}',
      ])
    )
      .split(' ')
      .filter(Boolean);

  beforeAll(async () => {
    [backend, frontend] = await Promise.all([
      deploymentName('backend'),
      deploymentName('frontend'),
    ]);
    expect([backend, frontend]).toEqual([expect.any(String), expect.any(String)]);
  });

  it('a Deployment scaled to zero: restored, and the smoke test runs again instead of a replay', async () => {
    await deploy('settle before the hand edits');
    await kubectl(['scale', 'deployment', backend, '--replicas=0']);
    const run = await deploy('redeploy after scaling the backend to zero');
    expect(run.output).toContain(
      `Deployment ${backend} changed outside the release (spec.replicas 0, want 1): restoring`,
    );
    expect(run.executed).toEqual(expect.arrayContaining(['infra:helm-deploy', 'infra:smoke-test']));
    expect(run.output).toMatch(/\[smoke-test\] ok +signed up/);
    expect(await kubectl(['get', 'deployment', backend, '-o', 'jsonpath={.spec.replicas}'])).toBe(
      '1',
    );
    expect(await allReady()).toBe(true);
  });

  it('an env var set by hand where the release sets none: removed, named, its value never printed', async () => {
    expect(await envNames(frontend)).toEqual([]);
    await kubectl(['set', 'env', `deployment/${frontend}`, 'HAND_EDIT=s3cret-value']);
    const run = await deploy('redeploy after kubectl set env');
    expect(run.output).toContain(
      `Deployment ${frontend} changed outside the release (spec.template.spec.containers[frontend].env set by kubectl-set): restoring`,
    );
    expect(run.output).not.toContain('s3cret-value');
    expect(await envNames(frontend)).toEqual([]);
  });

  it('a Service deleted by hand: recreated; then the next deploy finds nothing to do', async () => {
    await kubectl(['delete', 'service', frontend, '--wait']);
    const run = await deploy('redeploy after deleting the frontend Service');
    expect(run.output).toContain(`Service ${frontend} was deleted outside the release: restoring`);
    expect((await kubectl(['get', 'service', frontend, '-o', 'name'])).trim()).toBe(
      `service/${frontend}`,
    );

    // Repaired means settled: what the repair applied is not seen as drift, and an edit that
    // changes nothing the release applied (an annotation) does not upgrade. The first run
    // after the repair already replays every step: the release is as its cache entry says.
    const revision = await deployedRevision();
    await kubectl(['annotate', 'configmap', frontend, 'note=added-by-hand']);
    const settle = await deploy('first run after the repairs');
    expect(settle.fresh).not.toMatch(/upgrade --install/);
    expect(settle.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
    const quiet = await deploy('no-change redeploy after the repairs');
    expect(quiet.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
    expect(quiet.output).toMatch(
      /infra:smoke-test +skipped .*helm-deploy found the release exactly/,
    );
    expect(await deployedRevision()).toBe(revision);
  });
});

describe('17. runtime inputs answered by the resident state server', () => {
  // DEPLOY_STATE_SERVER=on: CI mode would otherwise leave it off. The server listens in the
  // scratch workspace and runs its scripts, so the test finds it and stops it.
  const server = { DEPLOY_STATE_SERVER: 'on' };
  let backend: string;
  let socket: string;
  let script: string;
  beforeAll(async () => {
    backend = await deploymentName('backend');
    socket = join(scratch.root, STATE_SOCKET);
    script = join(scratch.root, 'tools', 'scripts', 'deploy-state-server.ts');
  });
  afterAll(async () => {
    await $({ nothrow: true, quiet: true })`pkill -f ${script}`;
  });

  it('replays nothing stale: a change by hand between two runs is noticed and repaired', async () => {
    await deploy('first run with the state server', undefined, server);
    const first = await stat(socket);
    expect(first.isSocket()).toBe(true);
    const quiet = await deploy('no-change run answered by the state server', undefined, server);
    expect(quiet.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);

    await kubectl(['scale', 'deployment', backend, '--replicas=0']);
    const run = await deploy('state server: redeploy after scaling to zero', undefined, server);
    expect(run.output).toContain(
      `Deployment ${backend} changed outside the release (spec.replicas 0, want 1): restoring`,
    );
    expect(await kubectl(['get', 'deployment', backend, '-o', 'jsonpath={.spec.replicas}'])).toBe(
      '1',
    );
    // The same server answered all along: the same socket, and its process still runs.
    expect((await stat(socket)).ino).toBe(first.ino);
    const running = await $({ nothrow: true, quiet: true })`pgrep -f ${script}`;
    expect(running.stdout.trim()).not.toBe('');
  });
});

describe('18. an interrupted Helm upgrade', () => {
  it('the pending revision is named with the way out, by the deploy and the doctor; after that way out, deploys work again', async () => {
    const revision = await deployedRevision();
    // A deploy killed while Helm waits (Ctrl-C twice, a closed laptop, a cancelled CI job):
    // SIGKILL leaves Helm's record of the new revision pending-upgrade.
    const helm = spawn(
      'helm',
      [
        'upgrade',
        RELEASE,
        join(scratch.root, 'infra', 'helm', 'todo-chatbot'),
        '--namespace',
        NAMESPACE,
        '--kube-context',
        env.KUBE_CONTEXT as string,
        '--reuse-values',
        '--set',
        'backend.podAnnotations.interrupted=yes',
        '--wait',
        '--timeout',
        '120s',
      ],
      { stdio: 'ignore', env: { ...process.env, ...env } },
    );
    await pendingUpgrade(revision + 1);
    helm.kill('SIGKILL');

    // A change that needs an upgrade.
    await scratch.edit(
      'infra/helm/todo-chatbot/values.local.yaml',
      'limits: { memory: 448Mi }',
      'limits: { memory: 416Mi }',
    );
    await scratch.commit('after an interrupted upgrade: frontend memory limit');
    const blocked = await nx(scratch, ['run', 'infra:deploy'], env);
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.output).toMatch(
      new RegExp(
        `has been pending-upgrade at revision ${revision + 1} since \\S+ \\(\\d+ s ago\\)`,
      ),
    );
    expect(blocked.output).toContain('another deploy of it is running, or one was interrupted');
    expect(blocked.output).toContain(
      `\`npx nx run infra:rollback\` returns it to revision ${revision}, then deploy again`,
    );
    // Said before Helm runs, not Helm's "another operation is in progress".
    expect(blocked.fresh).not.toMatch(/upgrade --install todo-chatbot\.\.\./);

    const doctor = await nx(scratch, ['run', 'infra:doctor'], env);
    expect(doctor.exitCode).not.toBe(0);
    expect(doctor.output).toMatch(
      new RegExp(`fail +release ${RELEASE} has been pending-upgrade at revision ${revision + 1} `),
    );

    const rollback = await nx(scratch, ['run', 'infra:rollback'], env);
    expect(rollback.exitCode, rollback.output.slice(-2000)).toBe(0);
    await deploy('after an interrupted upgrade');
    expect(await deployedRevision()).toBe(revision + 3);
    expect(await allReady()).toBe(true);
  });
});

describe('19. a deploy while another holds the release', () => {
  const lockValues = () => join(scratch.root, 'dist', 'lock-test-values.yaml');
  let level = 0;
  /** A values change, so that each deploy of this scenario upgrades the release. */
  const lockEnv = async (extra: Record<string, string> = {}) => {
    await writeFile(lockValues(), `backend:\n  podAnnotations:\n    lock-test: "${++level}"\n`);
    return { DEPLOY_VALUES: `${env.DEPLOY_VALUES},${lockValues()}`, ...extra };
  };
  /** Another deploy's lock on the release (a CI job elsewhere), last renewed `secondsAgo`. */
  async function otherDeployHolds(secondsAgo: number): Promise<void> {
    const at = new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/Z$/, '000Z');
    const file = join(scratch.root, 'dist', 'other-deploy-lease.json');
    await writeFile(
      file,
      JSON.stringify({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: `${RELEASE}-deploy`,
          annotations: { 'todo-chatbot.dev/commit': 'commit abc1234' },
        },
        spec: {
          holderIdentity: 'ci@runner-7 (pid 4242)',
          leaseDurationSeconds: 30,
          acquireTime: at,
          renewTime: at,
        },
      }),
    );
    await kubectl(['apply', '-f', file]);
  }
  const lease = () => kubectl(['get', 'leases', '-o', 'name']);
  const OTHER = 'deploy of commit abc1234 from ci@runner-7 (pid 4242) running since';

  it('asked not to wait: names the other deploy, changes nothing', async () => {
    const revision = await deployedRevision();
    await otherDeployHolds(0);
    const run = await nx(scratch, ['run', 'infra:deploy'], {
      ...env,
      ...(await lockEnv({ DEPLOY_LOCK_WAIT_SECONDS: '0' })),
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(`another deploy holds release ${NAMESPACE}/${RELEASE}: ${OTHER}`);
    expect(run.fresh).not.toMatch(/upgrade --install todo-chatbot\.\.\./);
    expect(await deployedRevision()).toBe(revision);
    const doctor = await nx(scratch, ['run', 'infra:doctor'], env);
    expect(doctor.output).toMatch(new RegExp(`warn +release ${RELEASE} is locked by a deploy `));
    expect(doctor.output).toContain(`is locked by a ${OTHER}`);
  });

  it('waits for the other deploy with a line every few seconds, then deploys its own state', async () => {
    const revision = await deployedRevision();
    await otherDeployHolds(0);
    const extra = await lockEnv();
    const running = nx(scratch, ['run', 'infra:deploy'], { ...env, ...extra });
    // The other deploy finishes after a while and lets go.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    await kubectl(['delete', 'lease', `${RELEASE}-deploy`]);
    const run = await running;
    expect(run.exitCode, run.output.slice(-2000)).toBe(0);
    expect(run.output).toContain(`waiting for the ${OTHER}`);
    expect(run.output).toMatch(/after waiting \d+ s: /);
    expect(await deployedRevision()).toBe(revision + 1);
    // Its own lock is gone with it.
    expect((await lease()).trim()).toBe('');
  });

  it('takes over the lock of a deploy that is gone (no longer renewed), saying so', async () => {
    const revision = await deployedRevision();
    await otherDeployHolds(120);
    const run = await deploy('after an abandoned lock', undefined, await lockEnv());
    expect(run.output).toContain(`took the deploy lock over from an interrupted ${OTHER}`);
    expect(await deployedRevision()).toBe(revision + 1);
    expect((await lease()).trim()).toBe('');
  });
});

describe('20. a deploy killed during its Helm upgrade', () => {
  it('the next deploy takes its lock over, puts the release back where it served, upgrades, and says so', async () => {
    const values = join(scratch.root, 'dist', 'killed-deploy-values.yaml');
    /** A values change, so that each deploy here upgrades the release. */
    const annotated = async (value: string) => {
      await writeFile(values, `backend:\n  podAnnotations:\n    killed-deploy: "${value}"\n`);
      return { DEPLOY_VALUES: `${env.DEPLOY_VALUES},${values}` };
    };
    const revision = await deployedRevision();
    // The deploy step alone, in a process group of its own: SIGKILL takes Helm down with it,
    // and the lock it holds is neither released nor renewed again (a closed laptop).
    const killed = spawn(process.execPath, ['tools/scripts/helm-deploy.ts'], {
      cwd: scratch.root,
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, ...env, ...(await annotated('first')) },
    });
    await pendingUpgrade(revision + 1);
    process.kill(-(killed.pid ?? 0), 'SIGKILL');
    expect((await kubectl(['get', 'lease', `${RELEASE}-deploy`, '-o', 'name'])).trim()).toBe(
      `lease.coordination.k8s.io/${RELEASE}-deploy`,
    );

    const run = await deploy(
      'redeploy after a killed deploy',
      undefined,
      await annotated('second'),
    );
    expect(run.output).toMatch(/took the deploy lock over from an interrupted deploy/);
    expect(run.output).toMatch(
      new RegExp(
        `revision ${revision + 1} was left pending-upgrade by the interrupted deploy .*: back to revision ${revision}, which serves, then upgrading`,
      ),
    );
    // Back (a revision of its own), then the upgrade.
    expect(await deployedRevision()).toBe(revision + 3);
    const backend = await deploymentName('backend');
    expect(
      await kubectl([
        'get',
        'deployment',
        backend,
        '-o',
        'jsonpath={.spec.template.metadata.annotations.killed-deploy}',
      ]),
    ).toBe('second');
    expect(await allReady()).toBe(true);
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
      'a malformed registry setting',
      null,
      { DEPLOY_REGISTRY: 'https://localhost:5001' },
      /DEPLOY_REGISTRY: expected auto, off, or a registry .*\(drop the scheme\)/,
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

  // Helm 4 skips its own OpenAPI check (helm.ts): the API server's strict field validation
  // must still refuse a manifest Kubernetes does not understand, before any pod changes.
  it('a chart template with a field Kubernetes does not know', async () => {
    const template = 'infra/helm/todo-chatbot/templates/configmap.yaml';
    const original = await readFile(join(scratch.root, template), 'utf8');
    const backendPods = await podUids('backend');
    await scratch.edit(
      template,
      'kind: ConfigMap\nmetadata:\n',
      'kind: ConfigMap\nmetadata:\n  colour: blue\n',
    );
    try {
      const run = await nx(scratch, ['run', 'infra:helm-deploy'], env);
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toMatch(/ConfigMap\): \.metadata\.colour: field not declared in schema/);
      expect(run.output).not.toMatch(/\n\s+at .*\(.*\.ts:\d+:\d+\)/);
      expect(await podUids('backend')).toEqual(backendPods);
    } finally {
      await writeFile(join(scratch.root, template), original);
    }
  });
});
