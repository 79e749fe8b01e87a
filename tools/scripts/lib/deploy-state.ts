/**
 * The outside state each cached deploy step depends on, as one line (see deploy-state.ts).
 * Each kind loads only the modules it needs: this runs once per step of every deploy, on
 * its critical path, and the Docker check needs neither the settings nor the cluster.
 */
import { randomUUID } from 'node:crypto';
import { APPS } from './apps.ts';
import {
  type DeliveryRecord,
  deliveryRecordPath,
  type ImageRecord,
  imageRecordPath,
  readJsonRecord,
} from './image-record.ts';
import { RELEASE_RECORD_PATH, type ReleaseRecord } from './release-record.ts';
import type { Settings } from './settings.ts';

/*
 * Shortcuts for a change: a state that cannot be the one a cached step left behind is told
 * from the pipeline's own records, before the settings and the cluster are loaded (a third of a
 * second per step here). Answering "changed" is always safe: the step runs and checks the
 * cluster itself. The price is that an earlier build seen again (a revert) runs the step
 * instead of replaying it.
 */

/** Pure: a new build the last delivery did not carry. */
export function undeliveredBuild(
  built: ImageRecord | undefined,
  delivered: DeliveryRecord | undefined,
): string | undefined {
  if (!built || delivered?.tag === built.tag) return undefined;
  return `changed (${built.image} not delivered yet)`;
}

/** Pure: images delivered since the last deploy. */
export function undeployedImages(
  release: ReleaseRecord | undefined,
  delivered: (DeliveryRecord | undefined)[],
): string | undefined {
  if (!release?.images) return undefined;
  const changed = delivered.flatMap((record) =>
    record && record.image !== release.images[record.app] ? [record.image] : [],
  );
  return changed.length ? `stale (${changed.join(', ')} not deployed yet)` : undefined;
}

async function undelivered(app: string): Promise<string | undefined> {
  const [built, delivered] = await Promise.all([
    readJsonRecord<ImageRecord>(imageRecordPath(app)),
    readJsonRecord<DeliveryRecord>(deliveryRecordPath(app)),
  ]);
  return undeliveredBuild(built, delivered);
}

async function undeployed(): Promise<string | undefined> {
  const [release, ...delivered] = await Promise.all([
    readJsonRecord<ReleaseRecord>(RELEASE_RECORD_PATH),
    ...Object.keys(APPS).map((app) => readJsonRecord<DeliveryRecord>(deliveryRecordPath(app))),
  ]);
  return undeployedImages(release, delivered);
}

async function dockerState(app: string | undefined): Promise<string> {
  const [{ APPS, DEFAULT_NODE_BASE_IMAGE }, { inspectImage }, { contentRef }, { workspaceRoot }] =
    await Promise.all([
      import('./apps.ts'),
      import('./docker.ts'),
      import('./image-digest.ts'),
      import('./workspace-root.ts'),
    ]);
  const image = process.env.NODE_BASE_IMAGE || DEFAULT_NODE_BASE_IMAGE;
  const base = await inspectImage(image);
  const target = APPS[app ?? ''];
  if (!base || !target) return 'absent';
  const { ref } = await contentRef(workspaceRoot, target, { image, id: base.id });
  const built = await inspectImage(ref);
  return built ? `present ${ref} ${built.id}` : 'absent';
}

/**
 * Through a registry the state is the registry's answer for the content tag (an emptied or
 * recreated registry is noticed); side-loaded, it is the node's copy on this cluster.
 */
async function imageState(settings: Settings, record: ImageRecord): Promise<string> {
  const [{ targetCluster }, { imageTransport }] = await Promise.all([
    import('./target-cluster.ts'),
    import('./registry/discover.ts'),
  ]);
  const cluster = await targetCluster(settings);
  const transport = await imageTransport(cluster.kube, settings, cluster.provider.sharesDaemon);
  if (transport.kind === 'registry') {
    const { registryClient } = await import('./registry/client.ts');
    const digest = await registryClient(transport.push).manifestDigest(
      record.repository,
      record.tag,
    );
    return digest
      ? `present registry ${transport.push} as ${transport.pull} ${record.repository}:${record.tag} ${digest}`
      : 'absent';
  }
  return (await cluster.provider.hasImage(record.image))
    ? `present ${cluster.identity} ${cluster.provider.name} ${record.image}`
    : 'absent';
}

// Local files and cluster queries overlap: the API server answers while the chart is hashed.
async function clusterState(kind: string, app: string | undefined): Promise<string> {
  const [{ loadSettings }, inputs] = await Promise.all([
    import('./settings.ts'),
    import('./deploy-inputs.ts'),
  ]);
  const settings = loadSettings();
  if (kind === 'image') return imageState(settings, await inputs.readImageRecord(app ?? ''));
  const [
    { clusterIdentity, connect },
    { decideRelease, releaseFingerprint },
    { fetchLiveRelease },
  ] = await Promise.all([
    import('./kube.ts'),
    import('./release-state.ts'),
    import('./release-live.ts'),
  ]);
  const kube = await connect(settings.kubeContext);
  const { namespace, release } = settings;
  const [desired, identity, deployed] = await Promise.all([
    inputs.desiredRelease(settings, inputs.requiredSecrets(settings)),
    clusterIdentity(kube),
    fetchLiveRelease(kube, namespace, release),
  ]);
  if (!deployed) return 'stale (no deployed release)';
  const decision = decideRelease(desired, deployed);
  if (decision.upgrade || deployed.unanswered) return `stale (${decision.reason})`;
  return `current ${identity} ${releaseFingerprint(desired)} revision ${deployed.revision}`;
}

export async function state(kind: string | undefined, app: string | undefined): Promise<string> {
  if (kind === 'docker') return dockerState(app);
  if (kind === 'image') return (await undelivered(app ?? '')) ?? clusterState(kind, app);
  if (kind === 'release') return (await undeployed()) ?? clusterState(kind, app);
  return 'usage: deploy-state.ts docker <app> | image <app> | release';
}

/**
 * The line a runtime input prints. When the state is not the good one (image missing, release
 * stale, cluster unreachable), it ends in a random nonce: that hash has never been seen, so
 * the step runs and reports the real reason itself.
 */
export async function stateLine(
  kind: string | undefined,
  app: string | undefined,
): Promise<string> {
  const line = await state(kind, app).catch(
    (error: Error) => `unknown (${error.message.split('\n')[0]})`,
  );
  return /^(present|current) /.test(line) ? line : `${line} ${randomUUID()}`;
}
