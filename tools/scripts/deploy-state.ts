/**
 * Nx runtime inputs of the deploy steps: prints the outside state a cached step depends on, so
 * that Nx replays a step only while that state is exactly what the step left behind.
 *
 *   deploy-state.ts docker <app> -> docker-build:  the daemon has the image of the current build
 *   deploy-state.ts image <app>  -> minikube-load: the image is on the node of this cluster
 *   deploy-state.ts release      -> helm-deploy:   the cluster runs a healthy release of these inputs
 *   deploy-state.ts revision     -> smoke-test:    which healthy revision is deployed
 *
 * When the state is not the good one (image missing, release stale, cluster unreachable), the
 * line ends in a random nonce: that hash has never been seen, so the step runs and reports
 * the real reason itself. This is what keeps an Nx cache hit from leaving the cluster stale.
 */
import { randomUUID } from 'node:crypto';
import { APPS, DEFAULT_NODE_BASE_IMAGE } from './lib/apps.ts';
import { desiredRelease, readImageRecord, requiredSecrets } from './lib/deploy-inputs.ts';
import { inspectImage } from './lib/docker.ts';
import { contentRef } from './lib/image-digest.ts';
import { decideRelease, fetchDeployed, releaseFingerprint } from './lib/release-state.ts';
import { loadSettings, workspaceRoot } from './lib/settings.ts';
import { targetCluster } from './lib/target-cluster.ts';

async function state(kind: string | undefined, app: string | undefined): Promise<string> {
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
    case 'revision': {
      const { kube, identity } = await targetCluster(settings);
      const deployed = await fetchDeployed(kube, settings.namespace, settings.release);
      return deployed?.workloads.every((w) => w.ready)
        ? `deployed ${identity} ${settings.namespace}/${settings.release} revision ${deployed.revision} ${deployed.fingerprint}`
        : 'not-ready';
    }
    default:
      return 'usage: deploy-state.ts docker <app> | image <app> | release | revision';
  }
}

const line = await state(process.argv[2], process.argv[3]).catch(
  (error: Error) => `unknown (${error.message.split('\n')[0]})`,
);
const good = /^(present|current|deployed) /.test(line);
console.log(good ? line : `${line} ${randomUUID()}`);
