/**
 * A new app joins the pipeline by its folder and its block of values alone (issue 18 item 1):
 * in a workspace copy, a third app, `apps/worker` (a small Node HTTP server with a Dockerfile
 * on the same base image as the others, a project.json with its build, and the
 * `.dockerignore` lib/apps.ts gives an app of the default image), and a `worker:` block in a
 * values file. Nothing else changes: the workspace's Nx plugin infers its docker-build and
 * minikube-load and makes helm-deploy wait for them, and the deploy scripts find the app and
 * hand the chart its image. `npx nx run infra:deploy` then runs the worker Ready on the test
 * cluster, and the backend and the frontend keep serving (the deploy's smoke test).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultAppImage, dockerignoreFor } from '@todo/scripts/lib/apps.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { deploySuite } from './support/suite.ts';

const NAMESPACE = 'todo-e2e-worker';
const WORKER_VALUES = `dist/${NAMESPACE}-worker-values.yaml`;
const suite = deploySuite(NAMESPACE, 'auto');
const { deploy, imageRecord } = suite;
const { pods, waitReady } = suite.view;

const WORKER_FILES: Record<string, string> = {
  'project.json': `${JSON.stringify(
    {
      name: 'worker',
      projectType: 'application',
      sourceRoot: 'apps/worker/src',
      tags: ['type:app'],
      targets: {
        build: {
          command: 'rm -rf dist && mkdir dist && cp src/main.js dist/main.js',
          options: { cwd: '{projectRoot}' },
          metadata: { description: 'Copy the worker into dist/' },
        },
      },
    },
    null,
    2,
  )}\n`,
  'package.json': `${JSON.stringify({ name: '@todo/worker', version: '0.1.0', private: true, type: 'module' }, null, 2)}\n`,
  'src/main.js': `import { createServer } from 'node:http';

const server = createServer((request, response) => {
  const known = request.url === '/healthz' || request.url === '/readyz';
  response.writeHead(known ? 200 : 404, { 'content-type': 'text/plain' });
  response.end(known ? 'ok\\n' : 'not found\\n');
});
server.listen(Number(process.env.PORT ?? 8080), '0.0.0.0');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  Dockerfile: `ARG NODE_BASE_IMAGE=node:24-bookworm-slim
FROM \${NODE_BASE_IMAGE}
ARG VERSION=0.0.0
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="todo-chatbot worker" \\
      org.opencontainers.image.source="\${SOURCE}" \\
      org.opencontainers.image.version="\${VERSION}"
ENV NODE_ENV=production
WORKDIR /app
USER 1000:1000
EXPOSE 8080
CMD ["node", "main.js"]
COPY dist/ ./
`,
  '.dockerignore': dockerignoreFor(defaultAppImage('worker')),
};

/** The worker's block: the fixture's shape (infra/test/fixtures/values/worker.yaml), one pod. */
const WORKER_BLOCK = `worker:
  port: 8080
  probePaths: { readiness: /readyz, liveness: /healthz }
  secretEnv: false
  env:
    WORKER_NAME: e2e
  image: { repository: todo-chatbot/worker, tag: "" }
  replicaCount: 1
  podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 }
  resources:
    requests: { cpu: 10m, memory: 32Mi }
    limits: { cpu: 200m, memory: 128Mi }
  readinessProbe: http
  terminationGracePeriodSeconds: 10
  autoscaling:
    enabled: false
    minReplicas: 1
    maxReplicas: 2
    targetCPUUtilizationPercentage: 80
  podAnnotations: {}
  nodeSelector: {}
  tolerations: []
  affinity: {}
`;

beforeAll(async () => {
  const root = join(suite.scratch.root, 'apps', 'worker');
  for (const [path, text] of Object.entries(WORKER_FILES)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await writeFile(join(suite.scratch.root, WORKER_VALUES), WORKER_BLOCK);
  suite.env.DEPLOY_VALUES += `,${WORKER_VALUES}`;
  await suite.scratch.commit('a third app: the worker');
});

describe('a third app', () => {
  it('is built, loaded and deployed by infra:deploy; the others keep serving', async () => {
    const run = await deploy('third app: cold deploy');
    for (const task of ['worker:build', 'worker:docker-build', 'worker:minikube-load'])
      expect(run.executed).toContain(task);
    // helm-deploy ran after the worker's load (it depends on every app's) and the smoke test
    // through the frontend passed: the backend and the frontend serve.
    expect(run.executed).toEqual(expect.arrayContaining(['infra:helm-deploy', 'infra:smoke-test']));
    const { tag } = await imageRecord('worker');
    const [worker] = await waitReady('worker', 1, [], 60_000);
    expect(worker?.spec.containers[0]?.image).toMatch(new RegExp(`/todo-chatbot/worker:${tag}$`));
    for (const app of ['backend', 'frontend']) {
      const running = await pods(app);
      expect(running.length).toBeGreaterThan(0);
      for (const pod of running)
        expect(pod.status.containerStatuses?.every((container) => container.ready)).toBe(true);
    }
  });

  it('a redeploy with no change replays every step, the worker steps included', async () => {
    const run = await deploy('third app: no-change redeploy');
    expect(run.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
    expect(run.cached).toEqual(
      expect.arrayContaining(['worker:docker-build', 'worker:minikube-load', 'infra:helm-deploy']),
    );
  });
});
