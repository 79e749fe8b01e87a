/**
 * What a developer would look at after a failed rollout or smoke test, printed for them: the
 * release's pods, the namespace's recent events, and the logs of every pod that is not ready.
 * Everything printed is redacted first: a pod may log what it should not (a connection URL
 * with its password), and this output ends up in CI logs.
 */
import type { Kube } from './kube.ts';

const REDACTED = '[redacted]';

/**
 * Pure: `text` without the given secret values (as they are, and percent-encoded as they
 * appear in URLs) and without the password of any `scheme://user:password@` URL.
 */
export function redact(text: string, secrets: string[]): string {
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`);
  for (const secret of secrets.filter((value) => value.length >= 4)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

type Pod = {
  metadata: { name: string };
  status?: { containerStatuses?: { ready: boolean }[] };
};

/**
 * The release's pods, the namespace's recent warnings and events, and the last log lines of its
 * pods (`logsOf`: those not ready, what a failed rollout needs; or all, what a failed test
 * scenario needs), redacted, as one text.
 */
export async function diagnosticsReport(
  kube: Kube,
  namespace: string,
  release: string,
  secrets: string[],
  logsOf: 'not-ready' | 'all' = 'not-ready',
): Promise<string> {
  const selector = `app.kubernetes.io/instance=${release}`;
  const sections: string[] = [];
  const section = (title: string, body: string | undefined) =>
    sections.push(`--- ${title} ---\n${redact(body?.trim() || '(nothing)', secrets)}`);

  section(
    `pods of ${release}`,
    await kube.tryRun(['get', 'pods', '--namespace', namespace, '-l', selector, '-o', 'wide']),
  );
  const events = (type?: string) =>
    kube.tryRun([
      'get',
      'events',
      '--namespace',
      namespace,
      '--sort-by=.lastTimestamp',
      ...(type ? ['--field-selector', `type=${type}`] : []),
    ]);
  const last = (lines: string | undefined, count: number) =>
    lines?.trim().split('\n').slice(-count).join('\n');
  // Why a pod never came is a warning (FailedScheduling, BackOff...), which a failed first
  // install's clean-up would push out of the recent events.
  section('recent warnings', last(await events('Warning'), 10));
  section('recent events', last(await events(), 20));

  const pods = await kube
    .json<{ items: Pod[] }>(['get', 'pods', '--namespace', namespace, '-l', selector])
    .catch(() => ({ items: [] as Pod[] }));
  for (const pod of pods.items) {
    const ready = (pod.status?.containerStatuses ?? []).every((c) => c.ready);
    if (ready && logsOf === 'not-ready') continue;
    section(
      `logs of ${pod.metadata.name}${ready ? '' : ' (not ready)'}`,
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
  return sections.join('\n\n');
}

/** What a developer looks at after a failed rollout or smoke test, printed for them. */
export async function printDiagnostics(
  kube: Kube,
  namespace: string,
  release: string,
  secrets: string[],
): Promise<void> {
  console.error(`\n${await diagnosticsReport(kube, namespace, release, secrets)}`);
}
