/**
 * The outside state each cached deploy step depends on, as one line (see deploy-state.ts).
 * Each kind loads only the modules it needs: this runs once per step of every deploy, on
 * its critical path, and the Docker check needs neither the settings nor the cluster.
 */

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

async function clusterState(kind: string, app: string | undefined): Promise<string> {
  const [{ loadSettings }, inputs, { targetCluster }] = await Promise.all([
    import('./settings.ts'),
    import('./deploy-inputs.ts'),
    import('./target-cluster.ts'),
  ]);
  const settings = loadSettings();
  if (kind === 'image') {
    const record = await inputs.readImageRecord(app ?? '');
    const cluster = await targetCluster(settings);
    return (await cluster.provider.hasImage(record.image))
      ? `present ${cluster.identity} ${cluster.provider.name} ${record.image}`
      : 'absent';
  }
  const { decideRelease, fetchDeployed, releaseFingerprint } = await import('./release-state.ts');
  const desired = await inputs.desiredRelease(settings, inputs.requiredSecrets(settings));
  const { kube, identity } = await targetCluster(settings);
  const deployed = await fetchDeployed(kube, settings.namespace, settings.release);
  return decideRelease(desired, deployed).upgrade || !deployed
    ? 'stale'
    : `current ${identity} ${releaseFingerprint(desired)} revision ${deployed.revision}`;
}

export async function state(kind: string | undefined, app: string | undefined): Promise<string> {
  if (kind === 'docker') return dockerState(app);
  if (kind === 'image' || kind === 'release') return clusterState(kind, app);
  return 'usage: deploy-state.ts docker <app> | image <app> | release';
}
