/**
 * The benchmark's peer: the deploy script a developer writes without this pipeline, as the
 * plan in shared seed 000 describes it. Every run builds every app (the Nx cache allowed),
 * `docker build`s each image under a fresh tag, side-loads each whole image into the node,
 * writes the Secret and runs `helm upgrade --install --wait`. No content tags, no skipping,
 * no smoke test. `infra:bench-deploy` times it against `infra:deploy` on the same cluster.
 *
 * Usage: node tools/scripts/naive-deploy.ts   (deploy settings as for infra:deploy)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx/core';
import { appImage, DEFAULT_NODE_BASE_IMAGE, discoverApps, REPOSITORY_PREFIX } from './lib/apps.ts';
import { applyManifests, deployManifests } from './lib/cluster-secret.ts';
import { runCommand } from './lib/command.ts';
import { CHART_DIR, requiredSecrets, valuesDocument } from './lib/deploy-inputs.ts';
import { buildImage, inspectImage } from './lib/docker.ts';
import { info, step } from './lib/log.ts';
import { secretDigest } from './lib/release-state.ts';
import { loadSettings, workspaceRoot } from './lib/settings.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'naive-deploy';

async function main(): Promise<void> {
  const started = performance.now();
  const settings = loadSettings();
  const apps = discoverApps(workspaceRoot);
  const secrets = requiredSecrets(settings);
  const cluster = await targetCluster(settings);
  const tag = `naive-${Date.now()}`;
  const baseImage = process.env.NODE_BASE_IMAGE || DEFAULT_NODE_BASE_IMAGE;
  const values: Record<string, string> = {
    'secrets.existingSecret': settings.secretName,
    'secrets.checksum': secretDigest(secrets),
  };
  await step(
    SCOPE,
    'build every app',
    () => $({ cwd: workspaceRoot, quiet: true })`npx nx run-many -t build -p ${apps}`,
  );
  let bytes = 0;
  for (const app of apps.map(appImage)) {
    const ref = `${REPOSITORY_PREFIX}/${app.name}:${tag}`;
    await step(SCOPE, `docker build ${ref}`, () =>
      buildImage({
        context: join(workspaceRoot, app.root),
        dockerfile: join(workspaceRoot, app.root, 'Dockerfile'),
        tag: ref,
        buildArgs: { NODE_BASE_IMAGE: baseImage },
      }),
    );
    await step(SCOPE, `load ${ref} (${cluster.provider.name})`, () => cluster.provider.load(ref));
    bytes += (await inspectImage(ref))?.sizeBytes ?? 0;
    values[`${app.name}.image.repository`] = `${REPOSITORY_PREFIX}/${app.name}`;
    values[`${app.name}.image.tag`] = tag;
  }
  await applyManifests(
    cluster.kube,
    deployManifests({
      namespace: settings.namespace,
      release: settings.release,
      secretName: settings.secretName,
      secrets,
      digest: values['secrets.checksum'] ?? '',
    }),
  );
  const valuesFile = join(workspaceRoot, 'dist', 'naive', 'values.yaml');
  await mkdir(join(workspaceRoot, 'dist', 'naive'), { recursive: true });
  await writeFile(valuesFile, valuesDocument(values));
  // The plain command the plan writes, not the pipeline's tuned flags (helm.ts).
  const args = [
    'upgrade',
    '--install',
    settings.release,
    CHART_DIR,
    '--namespace',
    settings.namespace,
    '--kube-context',
    cluster.kube.context,
    ...[...settings.valuesFiles, valuesFile].flatMap((file) => ['--values', file]),
    '--wait',
    '--timeout',
    `${settings.timeoutSeconds}s`,
  ];
  await step(
    SCOPE,
    `helm upgrade --install ${settings.release}`,
    () => $({ quiet: true })`helm ${args}`,
  );
  info(
    SCOPE,
    `loaded ${(bytes / 1e6).toFixed(1)} MB; done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (import.meta.main) await runCommand(SCOPE, main);
