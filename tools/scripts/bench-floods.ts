/**
 * `npx nx run infra:bench-floods`: floods the deployed app with unauthenticated requests, as an
 * outside tester did, and reports how it held (issue 15's budget): 50 sign-ups and logins at
 * once (password hashing holds 128 MiB each), then 20 uploads of 50 MB at once through the
 * frontend. Every answer must be a clear one (201, 401, 409, 413 or 429), and no pod may
 * restart; each pod's peak memory (its cgroup's own record, read with `kubectl exec`) is
 * printed against its limit. Exits 1 when the budget is not held.
 *
 * Usage: node tools/scripts/bench-floods.ts   (the deploy settings select the release)
 */
import { randomBytes } from 'node:crypto';
import { runCommand, UserError } from './lib/command.ts';
import { type FloodResult, floodVerdict, type PodMemory } from './lib/flood-checks.ts';
import { type Kube, listByLabel } from './lib/kube.ts';
import { info, step } from './lib/log.ts';
import { componentService, localEndpoint } from './lib/port-forward.ts';
import { quantity } from './lib/release-drift.ts';
import { loadSettings } from './lib/settings.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'bench-floods';
const COMPONENTS = ['backend', 'frontend'];
const UPLOAD_BYTES = 50 * 1024 * 1024;

type Pod = {
  metadata: { name: string };
  spec: { containers: { name: string; resources?: { limits?: { memory?: string } } }[] };
  status: { containerStatuses?: { restartCount: number }[] };
};

/** The container's peak memory from its cgroup (v2 `memory.peak`, v1 `max_usage_in_bytes`). */
async function peakBytes(kube: Kube, namespace: string, pod: string): Promise<number | undefined> {
  const read =
    'cat /sys/fs/cgroup/memory.peak 2>/dev/null || cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes';
  const out = await kube.tryRun(['exec', pod, '--namespace', namespace, '--', 'sh', '-c', read]);
  const bytes = Number(out?.trim());
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

async function podMemory(kube: Kube, namespace: string, release: string): Promise<PodMemory[]> {
  const rows: PodMemory[] = [];
  for (const component of COMPONENTS) {
    const selector = `app.kubernetes.io/instance=${release},app.kubernetes.io/component=${component}`;
    for (const pod of await listByLabel<Pod>(kube, 'pods', namespace, selector)) {
      const limit = pod.spec.containers[0]?.resources?.limits?.memory;
      rows.push({
        component,
        pod: pod.metadata.name,
        limitBytes: limit ? quantity(limit) : undefined,
        peakBytes: await peakBytes(kube, namespace, pod.metadata.name),
        restarts: (pod.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
      });
    }
  }
  return rows;
}

async function timed(name: string, requests: Promise<number>[]): Promise<FloodResult> {
  const started = performance.now();
  const statuses = await Promise.all(requests);
  return { name, statuses, seconds: (performance.now() - started) / 1000 };
}

function post(url: string, body: string | ReadableStream<Uint8Array>): Promise<number> {
  return (
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
      signal: AbortSignal.timeout(120_000),
    } as RequestInit)
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      // No answer at all: as unclear as a 5xx.
      .catch(() => 0)
  );
}

/** A body generated as it is sent, so the bench itself holds none of it. */
function upload(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(256 * 1024).fill(32);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const { kube } = await targetCluster(settings);
  const { namespace, release } = settings;
  const service = await componentService(kube, namespace, release, 'frontend').catch(() => {
    throw new UserError(`no release ${release} in ${namespace}: run npx nx run infra:deploy`);
  });
  const forward = await localEndpoint(kube, namespace, service);
  info(SCOPE, `the frontend at ${forward.url}`);
  try {
    const before = await podMemory(kube, namespace, release);
    const api = (path: string) => `${forward.url}${path}`;
    const known = `flood-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    await post(api('/api/auth/signup'), JSON.stringify({ email: known, password }));

    const auth = await step(SCOPE, '50 sign-ups and logins at once', () =>
      timed(
        'sign-ups and logins',
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0
            ? post(api('/api/auth/signup'), JSON.stringify({ email: `${i}-${known}`, password }))
            : post(
                api('/api/auth/login'),
                JSON.stringify({ email: known, password: 'wrong one!' }),
              ),
        ),
      ),
    );
    const uploads = await step(SCOPE, `20 uploads of ${UPLOAD_BYTES / 2 ** 20} MB at once`, () =>
      timed(
        'uploads',
        Array.from({ length: 20 }, () => post(api('/api/tasks'), upload(UPLOAD_BYTES))),
      ),
    );

    const after = await podMemory(kube, namespace, release);
    const { lines, problems } = floodVerdict([auth, uploads], before, after);
    for (const line of lines) info(SCOPE, line);
    if (problems.length) throw new UserError(`budget not held: ${problems.join('; ')}`);
    info(SCOPE, 'budget held: every answer clear, no pod restarted');
  } finally {
    forward.stop();
  }
}

await runCommand(SCOPE, () => main());
