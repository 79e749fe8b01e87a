/**
 * The outside state each cached deploy step depends on, as one line (see deploy-state.ts).
 */
import { APPS, DEFAULT_NODE_BASE_IMAGE } from './apps.ts';
import { desiredRelease, readImageRecord, requiredSecrets } from './deploy-inputs.ts';
import { inspectImage } from './docker.ts';
import { contentRef } from './image-digest.ts';
import { decideRelease, fetchDeployed, releaseFingerprint } from './release-state.ts';
import { loadSettings, workspaceRoot } from './settings.ts';
import { targetCluster } from './target-cluster.ts';

export async function state(kind: string | undefined, app: string | undefined): Promise<string> {
  if (kind === 'docker') {
    const image = process.env.NODE_BASE_IMAGE || DEFAULT_NODE_BASE_IMAGE;
    const base = await inspectImage(image);
    const target = APPS[app ?? ''];
    if (!base || !target) return 'absent';
    const { ref } = await contentRef(workspaceRoot, target, { image, id: base.id });
    const built = await inspectImage(ref);
    return built ? `present ${ref} ${built.id}` : 'absent';
  }
  const settings = loadSettings();
  switch (kind) {
    case 'image': {
      const record = await readImageRecord(app ?? '');
      const cluster = await targetCluster(settings);
      return (await cluster.provider.hasImage(record.image))
        ? `present ${cluster.identity} ${cluster.provider.name} ${record.image}`
        : 'absent';
    }
    case 'release': {
      const desired = await desiredRelease(settings, requiredSecrets(settings));
      const { kube, identity } = await targetCluster(settings);
      const deployed = await fetchDeployed(kube, settings.namespace, settings.release);
      return decideRelease(desired, deployed).upgrade || !deployed
        ? 'stale'
        : `current ${identity} ${releaseFingerprint(desired)} revision ${deployed.revision}`;
    }
    default:
      return 'usage: deploy-state.ts docker <app> | image <app> | release';
  }
}
