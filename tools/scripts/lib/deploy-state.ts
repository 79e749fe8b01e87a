/**
 * The outside state each cached deploy step depends on, as one line (see deploy-state.ts).
 * Each kind loads only the modules it needs: this runs once per step of every deploy, on
 * its critical path, and the Docker check needs neither the settings nor the cluster.
 */
import type { ImageRecord } from './image-record.ts';
import type { Settings } from './settings.ts';

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
  const [{ clusterIdentity, connect }, { decideRelease, fetchDeployed, releaseFingerprint }] =
    await Promise.all([import('./kube.ts'), import('./release-state.ts')]);
  const kube = await connect(settings.kubeContext);
  const [desired, identity, deployed] = await Promise.all([
    inputs.desiredRelease(settings, inputs.requiredSecrets(settings)),
    clusterIdentity(kube),
    fetchDeployed(kube, settings.namespace, settings.release),
  ]);
  return decideRelease(desired, deployed).upgrade || !deployed
    ? 'stale'
    : `current ${identity} ${releaseFingerprint(desired)} revision ${deployed.revision}`;
}

export async function state(kind: string | undefined, app: string | undefined): Promise<string> {
  if (kind === 'docker') return dockerState(app);
  if (kind === 'image' || kind === 'release') return clusterState(kind, app);
  return 'usage: deploy-state.ts docker <app> | image <app> | release';
}
