/**
 * What the deployed release looks like live, beyond its record: whether an object it applied
 * was changed or deleted by hand (drift, see release-drift.ts), and whether the app answers
 * through its Service. The runtime input of helm-deploy asks on every deploy, so the cheap path
 * is one list call per kind the release applied and one readiness request; the release's
 * manifest is decoded only when an object's signal moved since the last deploy recorded it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readJsonRecord } from './image-record.ts';
import { type Kube, listCollection } from './kube.ts';
import {
  driftReason,
  type LiveObject,
  type ManifestObject,
  manifestObjects,
  objectKey,
  objectSignal,
  signalDigest,
} from './release-drift.ts';
import { RELEASE_OBJECTS_PATH } from './release-record.ts';
import { type DeployedRelease, fetchDeployed } from './release-state.ts';
import { workspaceRoot } from './workspace-root.ts';

/**
 * The objects a revision applied and their live signals. helm-deploy records them right after
 * it applied the revision: whatever the cluster made of it (defaults, webhooks) is "as applied".
 */
export type ReleaseObjects = {
  recordUid: string;
  objects: { key: string; apiVersion: string }[];
  digest: string;
};

export type LiveRelease = {
  /** Why the release no longer holds what it applied, or undefined. */
  drift: string | undefined;
  /** Why the app does not answer through its Service, or undefined (answering, or not asked). */
  unanswered: string | undefined;
  objects: ReleaseObjects;
};

type Target = { key: string; apiVersion: string; kind: string };

/**
 * Signals of live states that the field-by-field comparison found as applied since the last
 * deploy (someone annotated a ConfigMap, restarted nothing): seen again, they need no second
 * comparison. A cache only: losing it costs one comparison.
 */
const VERIFIED_PATH = join(
  workspaceRoot,
  'node_modules',
  '.cache',
  'todo-chatbot',
  'release-verified.json',
);
type Verified = { recordUid: string; digests: string[] };

async function readVerified(recordUid: string): Promise<string[]> {
  const found = await readFile(VERIFIED_PATH, 'utf8').then(
    (text) => JSON.parse(text) as Verified,
    () => undefined,
  );
  return found?.recordUid === recordUid ? found.digests : [];
}

async function remember(recordUid: string, digests: string[]): Promise<void> {
  const entry: Verified = { recordUid, digests: [...new Set(digests)].slice(-20) };
  await mkdir(dirname(VERIFIED_PATH), { recursive: true })
    .then(() => writeFile(VERIFIED_PATH, JSON.stringify(entry)))
    .catch(() => undefined);
}

async function liveObjects(
  kube: Kube,
  namespace: string,
  release: string,
  targets: Target[],
): Promise<Map<string, LiveObject>> {
  const kinds = new Map(targets.map((target) => [target.kind, target.apiVersion]));
  const lists = await Promise.all(
    [...kinds].map(([kind, apiVersion]) =>
      listCollection<LiveObject>(
        kube,
        { apiVersion, kind },
        namespace,
        `app.kubernetes.io/instance=${release}`,
      ).then((items) => items.map((item) => [objectKey(item, kind), item] as const)),
    ),
  );
  return new Map(lists.flat());
}

const targetsOf = (objects: { key: string; apiVersion: string }[]): Target[] =>
  objects.map((object) => ({ ...object, kind: object.key.split('/')[0] ?? '' }));

function signals(targets: Target[], live: Map<string, LiveObject>): string {
  return signalDigest(
    Object.fromEntries(targets.map(({ key, kind }) => [key, objectSignal(live.get(key), kind)])),
  );
}

/**
 * The frontend's /api/readyz through the API server's Service proxy: the page server, its proxy
 * to the backend, the backend and its database in one request. Only where the API client
 * answers (a kubectl process would cost more than the check is worth on every deploy).
 */
async function unanswered(
  kube: Kube,
  namespace: string,
  deployed: DeployedRelease,
): Promise<string | undefined> {
  const frontend = deployed.workloads.find((workload) => workload.component === 'frontend');
  if (!kube.api || !frontend) return undefined;
  const path = `/api/v1/namespaces/${namespace}/services/${frontend.name}:http/proxy/api/readyz`;
  return kube.api.get(path, 3_000).then(
    () => undefined,
    (error: Error) =>
      `the app does not answer through Service ${frontend.name} (/api/readyz: ${error.message.replace(/^GET \S+: /, '')})`,
  );
}

export async function inspectLive(
  kube: Kube,
  namespace: string,
  release: string,
  deployed: DeployedRelease,
  known: ReleaseObjects | undefined,
): Promise<LiveRelease> {
  const probe = unanswered(kube, namespace, deployed);
  const recorded = known?.recordUid === deployed.recordUid ? known : undefined;
  const verified = await readVerified(deployed.recordUid);
  if (recorded) {
    const targets = targetsOf(recorded.objects);
    const live = await liveObjects(kube, namespace, release, targets);
    const digest = signals(targets, live);
    if (digest === recorded.digest || verified.includes(digest)) {
      return { drift: undefined, unanswered: await probe, objects: recorded };
    }
  }
  const applied: ManifestObject[] = await manifestObjects(deployed.releaseData ?? '');
  const targets = applied.map((object) => ({
    key: objectKey(object),
    apiVersion: object.apiVersion,
    kind: object.kind,
  }));
  const live = await liveObjects(kube, namespace, release, targets);
  const drift = driftReason(applied, live);
  const digest = signals(targets, live);
  if (!drift) await remember(deployed.recordUid, [...verified, digest]);
  return {
    drift,
    unanswered: await probe,
    objects: {
      recordUid: deployed.recordUid,
      objects: targets.map(({ key, apiVersion }) => ({ key, apiVersion })),
      digest,
    },
  };
}

/** The deployed release and how it looks live, against the objects the last deploy recorded. */
export async function fetchLiveRelease(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<(DeployedRelease & LiveRelease) | undefined> {
  const [found, recorded] = await Promise.all([
    fetchDeployed(kube, namespace, release),
    readJsonRecord<ReleaseObjects>(RELEASE_OBJECTS_PATH),
  ]);
  return found
    ? Object.assign(found, await inspectLive(kube, namespace, release, found, recorded))
    : undefined;
}
