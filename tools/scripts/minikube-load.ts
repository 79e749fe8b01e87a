/**
 * `npx nx run <app>:minikube-load`: puts the app's image (from dist/images/<app>.json) onto the
 * cluster's node with the cluster's own mechanism (minikube image load, kind load, k3d image
 * import, containerd import; nothing for Docker Desktop), unless the node already has that
 * exact reference. The name is the pipeline's historical one; every provider is served.
 *
 * Usage: node tools/scripts/minikube-load.ts <backend|frontend>
 */
import { APPS } from './lib/apps.ts';
import { runCommand, UserError } from './lib/command.ts';
import { readImageRecord } from './lib/deploy-inputs.ts';
import { info, step } from './lib/log.ts';
import { writeStepRecord } from './lib/report.ts';
import { loadSettings } from './lib/settings.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'minikube-load';

async function main(app: string | undefined): Promise<void> {
  if (!app || !APPS[app])
    throw new UserError(`usage: minikube-load.ts <${Object.keys(APPS).join('|')}>`);
  const started = performance.now();
  const settings = loadSettings();
  const record = await readImageRecord(app);
  const cluster = await targetCluster(settings);
  const { provider, detection } = cluster;
  info(SCOPE, `${cluster.kube.context}: provider ${provider.name} (${detection.reason})`);

  const present = await step(SCOPE, `check ${record.image} on the node`, () =>
    provider.hasImage(record.image),
  );
  let action: 'loaded' | 'present' = 'present';
  let reason = `${record.image} is already on the node: load skipped`;
  if (!present) {
    await step(SCOPE, `load ${record.image} (${provider.name})`, () => provider.load(record.image));
    if (!(await provider.hasImage(record.image))) {
      throw new UserError(
        `${record.image} is still not on the node after loading it with ${provider.name}: check DEPLOY_PROVIDER and the cluster (npx nx run infra:doctor)`,
      );
    }
    action = 'loaded';
    reason = `${record.image} was not on the node: loaded with ${provider.name}`;
  }
  info(SCOPE, reason);
  await writeStepRecord({
    task: `${app}:minikube-load`,
    action,
    reason,
    durationMs: performance.now() - started,
    details: { image: record.image, provider: provider.name, cluster: cluster.identity },
  });
}

if (import.meta.main) await runCommand(SCOPE, () => main(process.argv[2]));
