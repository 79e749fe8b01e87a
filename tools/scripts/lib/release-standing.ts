/**
 * Where a release stands, read from Helm's own records in the cluster (one Secret per
 * revision, labelled owner=helm, name, status and version): what a failed deploy
 * and `infra:doctor` say, instead of assuming that a rollback happened. A revision left
 * `pending-*` (a deploy killed while Helm ran, or one running now) blocks every later upgrade
 * with Helm's "another operation is in progress"; this names it and the way out.
 */
import { type Kube, listByLabel } from './kube.ts';

/** `createdAt`: when the revision's record was written, i.e. when its operation began. */
export type RevisionRecord = { revision: number; status: string; createdAt?: Date };

/** The latest revision, and the one that serves (the latest `deployed`). */
export type Standing = { release: string; latest?: RevisionRecord; serving?: RevisionRecord };

const PENDING = ['pending-install', 'pending-upgrade', 'pending-rollback'];

type RecordItem = { metadata: { labels?: Record<string, string>; creationTimestamp?: string } };

/** Pure: the revisions named by Helm's release records, newest first. */
export function revisionsOf(items: RecordItem[]): RevisionRecord[] {
  return items
    .flatMap(({ metadata }) => {
      const revision = Number(metadata.labels?.version);
      const status = metadata.labels?.status;
      if (!Number.isInteger(revision) || !status) return [];
      // Not Helm's modifiedAt label: a new revision's record copies it from the previous one.
      const createdAt = metadata.creationTimestamp
        ? new Date(metadata.creationTimestamp)
        : undefined;
      return [{ revision, status, createdAt }];
    })
    .sort((a, b) => b.revision - a.revision);
}

/** Pure. */
export function standingOf(release: string, revisions: RevisionRecord[]): Standing {
  const ordered = [...revisions].sort((a, b) => b.revision - a.revision);
  return {
    release,
    latest: ordered[0],
    serving: ordered.find((revision) => revision.status === 'deployed'),
  };
}

/** Pure: the latest revision when Helm left it pending. */
export function stuckRevision(standing: Standing): RevisionRecord | undefined {
  return standing.latest && PENDING.includes(standing.latest.status) ? standing.latest : undefined;
}

function since(at: Date | undefined, now: Date): string {
  if (!at) return '';
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  const ago = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  return ` since ${at.toISOString()} (${ago} ago)`;
}

/** Pure: one sentence, for the end of an error message or a doctor line. */
export function standingLine(standing: Standing, now = new Date()): string {
  const { latest, serving } = standing;
  if (!latest) return `release ${standing.release} is not installed`;
  const keeps = (revision: RevisionRecord) =>
    `the release is on revision ${revision.revision}, which keeps serving`;
  const stuck = stuckRevision(standing);
  if (stuck) {
    const way = serving
      ? `\`npx nx run infra:rollback\` returns it to revision ${serving.revision}`
      : `\`npx nx run infra:teardown\` removes the half-installed release`;
    return `release ${standing.release} has been ${stuck.status} at revision ${stuck.revision}${since(stuck.createdAt, now)}: another deploy of it is running, or one was interrupted; if none is running, ${way}, then deploy again`;
  }
  if (latest.status === 'deployed') return keeps(latest);
  if (serving) return `revision ${latest.revision} is ${latest.status}; ${keeps(serving)}`;
  return `revision ${latest.revision} is ${latest.status} and no revision is deployed: nothing of release ${standing.release} serves`;
}

/** Every revision Helm keeps of the release (its history, `--history-max` of them). */
export async function fetchStanding(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<Standing> {
  const items = await listByLabel<RecordItem>(
    kube,
    'secrets',
    namespace,
    `owner=helm,name=${release}`,
  );
  return standingOf(release, revisionsOf(items));
}

/**
 * The pending revision that would make Helm refuse an upgrade, if any: a narrow query (usually
 * answered with nothing) before every upgrade, the full history only when it finds one.
 */
export async function fetchStuck(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<Standing | undefined> {
  const pending = await listByLabel<RecordItem>(
    kube,
    'secrets',
    namespace,
    `owner=helm,name=${release},status in (${PENDING.join(',')})`,
  );
  if (!pending.length) return undefined;
  const standing = await fetchStanding(kube, namespace, release);
  return stuckRevision(standing) ? standing : undefined;
}

/** What the next deploy does about a revision Helm left pending. */
export type Recovery =
  | { action: 'refuse'; message: string }
  | { action: 'rollback'; revision: number; line: string }
  | { action: 'uninstall'; line: string };

/**
 * Pure. Only a deploy that took the lock over from one whose lease expired knows the pending
 * revision is that deploy's and nobody works on it: it puts the release back where it served
 * (or removes a half-done first install) and upgrades. Without that, the pending revision may
 * be a `helm upgrade` someone runs by hand right now: refused, with the way out.
 */
export function recoveryPlan(stuck: Standing, interruptedDeploy: string | undefined): Recovery {
  const pending = stuckRevision(stuck);
  if (!pending || !interruptedDeploy) return { action: 'refuse', message: standingLine(stuck) };
  const left = `revision ${pending.revision} was left ${pending.status} by the interrupted ${interruptedDeploy}`;
  if (!stuck.serving)
    return {
      action: 'uninstall',
      line: `${left}: removing the half-installed release, then installing`,
    };
  return {
    action: 'rollback',
    revision: stuck.serving.revision,
    line: `${left}: back to revision ${stuck.serving.revision}, which serves, then upgrading`,
  };
}
