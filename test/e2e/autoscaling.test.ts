/**
 * CPU autoscaling on the test cluster, end to end: metrics-server (test/cluster) feeds the
 * backend's HorizontalPodAutoscaler (values: one to three pods at 50 % of the CPU request,
 * the chart's `behavior` keeping the windows short); a bounded load on 127.0.0.1 through the
 * frontend's NodePort scales the backend up without one failed request, and it scales back
 * down once the load stops. The times and the request count go to test-results for
 * test/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { poll } from '@todo/scripts/lib/poll.ts';
import { componentService, localEndpoint } from '@todo/scripts/lib/port-forward.ts';
import { apiCall } from '@todo/scripts/lib/smoke-checks.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster } from '../cluster/lib/kubectl.ts';
import { RELEASE } from './support/deploy-env.ts';
import { deploySuite } from './support/suite.ts';
import { describeTraffic, startTraffic, type Traffic } from './support/traffic.ts';

const NAMESPACE = 'todo-e2e-hpa';
const HPA_VALUES = `dist/${NAMESPACE}-hpa-values.yaml`;
/** Concurrent request streams: enough to hold one backend pod well above 50 % of 50m. */
const STREAMS = 6;
const LOAD_LIMIT_MS = 150_000;
const LOAD_AFTER_SCALE_UP_MS = 10_000;

const suite = deploySuite(NAMESPACE, 'auto');
const { clusterReport, pods } = suite.view;
const results: Record<string, number | string> = {};
let baseUrl: string;
let stopForward: (() => void) | undefined;

type Autoscaler = {
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[];
  };
};

/** The backend's CPU use in percent of its request, as the HPA last read it. */
const utilization = (hpa: Autoscaler) =>
  hpa.status?.currentMetrics?.[0]?.resource?.current?.averageUtilization;
let token: string;
const call = (method: string, path: string, options: Parameters<typeof apiCall>[3] = {}) =>
  apiCall(baseUrl, method, path, options);

const autoscaler = async () =>
  (await testCluster()).json<Autoscaler>([
    'get',
    'hpa',
    `${RELEASE}-todo-chatbot-backend`,
    '--namespace',
    NAMESPACE,
  ]);

/** The backend's pods that are Ready. */
const readyBackends = async () =>
  (await pods('backend')).filter((pod) =>
    pod.status.containerStatuses?.every((container) => container.ready),
  ).length;

/** Waits until `done` holds of the backend's Ready pods; returns the seconds since `since`. */
async function backendsUntil(
  done: (ready: number, live: number) => boolean,
  since: number,
  what: string,
): Promise<number> {
  let seen = '';
  await poll(
    async () => {
      const [ready, live, hpa] = await Promise.all([
        readyBackends(),
        pods('backend').then((list) => list.length),
        autoscaler(),
      ]);
      seen = `${ready} Ready of ${live} backend pods; HPA ${JSON.stringify(hpa.status)}`;
      return done(ready, live) || undefined;
    },
    {
      timeoutMs: 240_000,
      intervalMs: 1000,
      timeoutMessage: () => `${what}: ${seen}\n`,
    },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}${await clusterReport()}`);
  });
  return Number(((performance.now() - since) / 1000).toFixed(1));
}

beforeAll(async () => {
  await writeFile(
    join(suite.scratch.root, HPA_VALUES),
    [
      'backend:',
      '  autoscaling:',
      '    enabled: true',
      '    minReplicas: 1',
      '    maxReplicas: 3',
      '    targetCPUUtilizationPercentage: 50',
      '    behavior:',
      '      scaleUp: { stabilizationWindowSeconds: 0 }',
      '      scaleDown:',
      '        stabilizationWindowSeconds: 20',
      '        policies: [{ type: Percent, value: 100, periodSeconds: 5 }]',
      '',
    ].join('\n'),
  );
  suite.env.DEPLOY_VALUES += `,${HPA_VALUES}`;
  await suite.deploy('autoscaled backend: cold deploy');
  const kube = await testCluster();
  const forward = await localEndpoint(
    kube,
    NAMESPACE,
    await componentService(kube, NAMESPACE, RELEASE, 'frontend'),
  );
  baseUrl = forward.url;
  stopForward = forward.stop;
}, 600_000);

afterAll(async () => {
  stopForward?.();
  const dir = join(import.meta.dirname, '..', 'test-results', 'e2e');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'autoscaling.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('autoscaling:', results);
});

describe('CPU autoscaling', () => {
  it('the metrics API reports the backend pod, and the HPA settles at one pod below its target', async () => {
    // Signing up hashes a password: CPU the load below must not be mixed with.
    const email = `hpa-${randomBytes(4).toString('hex')}@example.com`;
    const signUp = await call('POST', '/api/auth/signup', {
      body: { email, password: 'correct horse battery staple', name: 'Autoscaling test' },
    });
    expect(signUp.status, signUp.text).toBe(201);
    token = (signUp.body as { token: string }).token;

    const kube = await testCluster();
    let seen = '';
    const settled = performance.now();
    await poll(
      async () => {
        // `--raw` takes no output format: the API's own JSON.
        const metrics = JSON.parse(
          await kube
            .run(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${NAMESPACE}/pods`])
            .catch(() => '{"items":[]}'),
        ) as { items: { metadata: { labels?: Record<string, string> } }[] };
        const reported = metrics.items.some(
          (item) => item.metadata.labels?.['app.kubernetes.io/component'] === 'backend',
        );
        // A pod's start (Node compiling the app) reads as load: wait until that has passed.
        const hpa = await autoscaler();
        const [ready, live] = [await readyBackends(), (await pods('backend')).length];
        seen = `metrics ${reported ? 'reported' : 'missing'}; HPA ${JSON.stringify(hpa.status)}; ${ready} Ready of ${live}`;
        const idle = (utilization(hpa) ?? 100) < 50;
        return (
          (reported && idle && hpa.status?.desiredReplicas === 1 && ready === 1 && live === 1) ||
          undefined
        );
      },
      { timeoutMs: 240_000, intervalMs: 2000, timeoutMessage: () => `not settled: ${seen}` },
    );
    results['settled at 1 pod after the deploy (s)'] = Number(
      ((performance.now() - settled) / 1000).toFixed(1),
    );
    results['idle CPU (% of the request)'] = utilization(await autoscaler()) ?? 'unknown';
  });

  it('scales the backend up under load without a failed request, and down after it', async () => {
    const started = performance.now();
    const streams = Array.from({ length: STREAMS }, () =>
      startTraffic(call, token, { intervalMs: 0, maxMs: LOAD_LIMIT_MS, maxRequests: 100_000 }),
    );
    let traffic: Traffic[] = [];
    try {
      results['scale-up to 2 Ready backends (s)'] = await backendsUntil(
        (ready) => ready >= 2,
        started,
        'the backend did not scale up under load',
      );
      // The load goes on while the new pods join the Service: no request may fail then either.
      await new Promise((resolve) => setTimeout(resolve, LOAD_AFTER_SCALE_UP_MS));
    } finally {
      traffic = await Promise.all(streams.map((stream) => stream.stop()));
    }
    const sent = traffic.reduce((sum, t) => sum + t.sent, 0);
    const failed = traffic.reduce((sum, t) => sum + t.failed, 0);
    results['requests during the scale-up'] = sent;
    results['failed requests'] = failed;
    results['load (s)'] = Number(((performance.now() - started) / 1000).toFixed(1));
    results['backend pods at the end of the load'] = await readyBackends();
    expect(failed, traffic.map(describeTraffic).join('\n')).toBe(0);
    expect(sent).toBeGreaterThan(100);

    const stopped = performance.now();
    results['scale-down to 1 backend (s)'] = await backendsUntil(
      (ready, live) => ready === 1 && live === 1,
      stopped,
      'the backend did not scale back down after the load',
    );
  });
});
