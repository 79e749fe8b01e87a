/**
 * What a developer would look at after a failed rollout or smoke test, printed for them: the
 * release's pods, the namespace's recent events, and the logs of every pod that is not ready.
 */
import type { Kube } from './kube.ts';

type Pod = {
  metadata: { name: string };
  status?: { containerStatuses?: { ready: boolean }[] };
};

export async function printDiagnostics(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<void> {
  const selector = `app.kubernetes.io/instance=${release}`;
  const section = (title: string, body: string | undefined) =>
    console.error(`\n--- ${title} ---\n${body?.trim() || '(nothing)'}`);

  section(
    `pods of ${release}`,
    await kube.tryRun(['get', 'pods', '--namespace', namespace, '-l', selector, '-o', 'wide']),
  );
  const events = await kube.tryRun([
    'get',
    'events',
    '--namespace',
    namespace,
    '--sort-by=.lastTimestamp',
  ]);
  section('recent events', events?.trim().split('\n').slice(-20).join('\n'));

  const pods = await kube
    .json<{ items: Pod[] }>(['get', 'pods', '--namespace', namespace, '-l', selector])
    .catch(() => ({ items: [] as Pod[] }));
  for (const pod of pods.items) {
    const ready = (pod.status?.containerStatuses ?? []).every((c) => c.ready);
    if (ready) continue;
    section(
      `logs of ${pod.metadata.name} (not ready)`,
      await kube.tryRun([
        'logs',
        pod.metadata.name,
        '--namespace',
        namespace,
        '--all-containers',
        '--tail=30',
      ]),
    );
  }
}
