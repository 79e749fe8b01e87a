/**
 * `npx nx run infra:status`: the release (revision, status, chart and app version), its pods
 * (ready, restarts, age, image tag), the image each component runs, and how to reach the app.
 * Exits 1 when the release is not installed, so scripts can ask "is it deployed?".
 *
 * Usage: node tools/scripts/status.ts
 */
import { runCommand, UserError } from './lib/command.ts';
import { helmVersion } from './lib/helm.ts';
import { step } from './lib/log.ts';
import { DEPLOY_COMMAND } from './lib/ops/cli.ts';
import { DEFAULT_PROFILE } from './lib/ops/minikube.ts';
import { installedRelease, releaseTarget } from './lib/ops/release-target.ts';
import {
  accessUrls,
  componentImages,
  formatTable,
  type Ingress,
  type Pod,
  podRows,
  releaseLine,
  type Service,
  selector,
} from './lib/ops/release-view.ts';

const SCOPE = 'status';

async function main(): Promise<void> {
  const version = await helmVersion();
  const { settings, kube, detection, ref } = await releaseTarget(SCOPE);
  const entry = await step(SCOPE, 'helm list', () => installedRelease(version, ref));
  if (!entry) {
    throw new UserError(
      `release ${ref.release} is not installed in namespace ${ref.namespace} (context ${ref.context}): deploy it with ${DEPLOY_COMMAND}`,
    );
  }
  const list = <T>(kind: string) =>
    kube
      .json<{ items: T[] }>([
        'get',
        kind,
        '--namespace',
        ref.namespace,
        '-l',
        selector(ref.release),
      ])
      .then((result) => result.items);
  const [pods, services, ingresses] = await step(SCOPE, 'read pods, services and ingresses', () =>
    Promise.all([list<Pod>('pods'), list<Service>('services'), list<Ingress>('ingresses')]),
  );

  const rows = podRows(pods, Date.now());
  const output = [
    releaseLine(entry),
    '',
    ...(rows.length
      ? formatTable(rows, ['name', 'component', 'ready', 'status', 'restarts', 'age', 'tags'])
      : ['no pods']),
    '',
    'images:',
    ...componentImages(pods).map((line) => `  ${line}`),
    '',
    'open the app:',
    ...accessUrls({
      services,
      ingresses,
      provider: detection.provider,
      minikubeProfile: detection.cluster ?? settings.minikubeProfile ?? DEFAULT_PROFILE,
      namespace: ref.namespace,
    }).map((line) => `  ${line}`),
  ];
  console.log(output.join('\n'));
}

if (import.meta.main) await runCommand(SCOPE, main);
