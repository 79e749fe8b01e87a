/**
 * `npx nx run <app>:minikube-load`: gets the app's image (from dist/images/<app>.json) to the
 * cluster. Through a registry when the cluster advertises one (KEP-1755) or DEPLOY_REGISTRY
 * names one: `docker push` of the content tag, skipped when the registry already holds it,
 * so only missing layers travel and every node pulls. Otherwise side-loaded with the
 * cluster's own mechanism (minikube image load, kind load, k3d image import, containerd
 * import; nothing for Docker Desktop), unless the node already has that exact reference.
 * The name is the pipeline's historical one; every provider is served. Writes
 * dist/images/<app>.delivered.json: the reference the chart must run.
 *
 * Usage: node tools/scripts/minikube-load.ts <backend|frontend>
 */
import { writeFile } from 'node:fs/promises';
import { discoverApps } from './lib/apps.ts';
import { runCommand, UserError } from './lib/command.ts';
import { readImageRecord } from './lib/deploy-inputs.ts';
import { type DeliveryRecord, deliveryRecordPath, type ImageRecord } from './lib/image-record.ts';
import { onInterruptSay } from './lib/interrupt.ts';
import { info, mb, step } from './lib/log.ts';
import type { Provider } from './lib/providers/providers.ts';
import { registryClient } from './lib/registry/client.ts';
import { imageTransport } from './lib/registry/discover.ts';
import { pushImage } from './lib/registry/push.ts';
import { inRegistry, splitRegistry } from './lib/registry/reference.ts';
import { fetchStanding, standingLine } from './lib/release-standing.ts';
import { type StepAction, writeStepRecord } from './lib/report.ts';
import { loadSettings, workspaceRoot } from './lib/settings.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'minikube-load';

type Delivered = {
  record: DeliveryRecord;
  action: StepAction;
  reason: string;
  details: Record<string, string | number>;
};

async function throughRegistry(image: ImageRecord, push: string, pull: string): Promise<Delivered> {
  const client = registryClient(push);
  const remote = {
    host: splitRegistry(push).host,
    ref: `${inRegistry(push, image.repository)}:${image.tag}`,
    repository: image.repository,
    tag: image.tag,
  };
  const pulled = inRegistry(pull, image.repository);
  const record = (digest: string): DeliveryRecord => ({
    app: image.app,
    transport: 'registry',
    repository: pulled,
    tag: image.tag,
    image: `${pulled}:${image.tag}`,
    registry: push,
    digest,
  });
  const existing = await step(SCOPE, `ask ${push} for ${image.repository}:${image.tag}`, () =>
    client.manifestDigest(image.repository, image.tag),
  );
  if (existing) {
    return {
      record: record(existing),
      action: 'present',
      reason: `${push} already holds ${image.repository}:${image.tag} (${existing.slice(0, 19)}): push skipped`,
      details: { image: `${pulled}:${image.tag}`, registry: push, bytesSent: 0 },
    };
  }
  const pushed = await step(SCOPE, `push ${remote.ref}`, () =>
    pushImage(image.image, remote, client, (line) => info(SCOPE, `  ${line}`)),
  );
  return {
    record: record(pushed.digest),
    action: 'pushed',
    reason: `${push} lacked ${image.repository}:${image.tag}: pushed ${pushed.layersPushed} of ${pushed.layersTotal} layers (${mb(pushed.bytesSent)}), the rest were already there`,
    details: {
      image: `${pulled}:${image.tag}`,
      registry: push,
      bytesSent: pushed.bytesSent,
      layersPushed: pushed.layersPushed,
      layersTotal: pushed.layersTotal,
    },
  };
}

async function sideLoad(image: ImageRecord, provider: Provider): Promise<Delivered> {
  const record: DeliveryRecord = {
    app: image.app,
    transport: 'side-load',
    repository: image.repository,
    tag: image.tag,
    image: image.image,
  };
  const present = await step(SCOPE, `check ${image.image} on the node`, () =>
    provider.hasImage(image.image),
  );
  if (present) {
    return {
      record,
      action: 'present',
      reason: `${image.image} is already on the node: load skipped`,
      details: { image: image.image, provider: provider.name, bytesSent: 0 },
    };
  }
  await step(SCOPE, `load ${image.image} (${provider.name})`, () => provider.load(image.image));
  if (!(await provider.hasImage(image.image))) {
    throw new UserError(
      `${image.image} is still not on the node after loading it with ${provider.name}: check DEPLOY_PROVIDER and the cluster (npx nx run infra:doctor)`,
    );
  }
  return {
    record,
    action: 'loaded',
    reason: `${image.image} was not on the node: loaded with ${provider.name} (the whole image, ${mb(image.sizeBytes)})`,
    // Side-loading streams the whole image, whatever the node already has.
    details: { image: image.image, provider: provider.name, bytesSent: image.sizeBytes },
  };
}

async function main(app: string | undefined): Promise<void> {
  const apps = discoverApps(workspaceRoot);
  if (!app || !apps.includes(app))
    throw new UserError(`usage: minikube-load.ts <${apps.join('|')}>`);
  const started = performance.now();
  const settings = loadSettings();
  const [image, cluster] = await Promise.all([readImageRecord(app), targetCluster(settings)]);
  const { provider, detection } = cluster;
  onInterruptSay(async () => {
    const standing = await fetchStanding(cluster.kube, settings.namespace, settings.release);
    return `${image.image} was not delivered and the release was not touched: ${standingLine(standing)}`;
  });
  const transport = await imageTransport(cluster.kube, settings, provider.sharesDaemon);
  info(SCOPE, `${cluster.kube.context}: provider ${provider.name} (${detection.reason})`);
  info(SCOPE, transport.reason);

  const delivered =
    transport.kind === 'registry'
      ? await throughRegistry(image, transport.push, transport.pull)
      : await sideLoad(image, provider);
  info(SCOPE, delivered.reason);
  await writeFile(deliveryRecordPath(app), `${JSON.stringify(delivered.record, null, 2)}\n`);
  await writeStepRecord({
    task: `${app}:minikube-load`,
    action: delivered.action,
    reason: delivered.reason,
    durationMs: performance.now() - started,
    details: { ...delivered.details, transport: transport.kind, cluster: cluster.identity },
  });
}

if (import.meta.main)
  await runCommand(SCOPE, () => main(process.argv[2]), {
    interruptible: { task: `${process.argv[2]}:minikube-load` },
  });
