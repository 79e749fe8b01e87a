/**
 * `npx nx run <app>:docker-build`: builds the app's image from its `build` output and writes
 * dist/images/<app>.json (repository, tag, image id, sizes) for the deploy targets.
 *
 * The tag is a digest of the image's inputs (build context, Dockerfile, .dockerignore, base
 * image name and id), so equal inputs give the equal tag and an image with that tag is the
 * cache. The Nx target is cached, and sound because its runtime input
 * (`deploy-state.ts docker <app>`) asks the daemon whether the image of the current content tag
 * exists: an Nx cache hit then means the image is there, and a pruned image, a fresh daemon or
 * another machine makes a cache miss. When this script does run, it still skips `docker build`
 * if the daemon has the tag (one `docker image inspect` after hashing the context). It prints
 * which way it went and why.
 *
 * Usage: node tools/scripts/docker-build.ts <app>   (an apps/<app>/ with a Dockerfile; env NODE_BASE_IMAGE)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx/core';
import { appImage, DEFAULT_NODE_BASE_IMAGE, discoverApps } from './lib/apps.ts';
import { decideBuild } from './lib/build-decision.ts';
import { runCommand, UserError } from './lib/command.ts';
import { assertDockerAvailable, buildImage, inspectImage } from './lib/docker.ts';
import { contentRef } from './lib/image-digest.ts';
import { type ImageRecord, imageRecordPath } from './lib/image-record.ts';
import { onInterruptSay } from './lib/interrupt.ts';
import { info, mb, step } from './lib/log.ts';
import { writeStepRecord } from './lib/report.ts';
import { publicSourceUrl } from './lib/source-url.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

const SCOPE = 'docker-build';

/** Git metadata for the OCI labels; 'unknown' outside a git checkout. */
async function git(...args: string[]): Promise<string> {
  const result = await $({ nothrow: true, quiet: true, cwd: workspaceRoot })`git ${args}`;
  return result.exitCode === 0 ? result.stdout.trim() : 'unknown';
}

async function main(appName: string | undefined): Promise<void> {
  const apps = discoverApps(workspaceRoot);
  const app = appName && apps.includes(appName) ? appImage(appName) : undefined;
  if (!app) throw new UserError(`usage: docker-build.ts <${apps.join('|')}>`);
  const started = performance.now();
  let wanted: string | undefined;
  // A build stopped as it finished may have tagged its image: the last word asks the daemon.
  onInterruptSay(async () => {
    const tagged = wanted && (await inspectImage(wanted).catch(() => undefined));
    return `${tagged ? `${wanted} is built` : `no image of ${app.name} was tagged`}; nothing on the cluster changed`;
  });
  await assertDockerAvailable();

  const baseImage = process.env.NODE_BASE_IMAGE || DEFAULT_NODE_BASE_IMAGE;
  let base = await inspectImage(baseImage);
  if (!base) {
    await step(
      SCOPE,
      `docker pull ${baseImage}`,
      () => $({ nothrow: true })`docker pull ${baseImage}`,
    );
    base = await inspectImage(baseImage);
    if (!base) {
      throw new UserError(
        `base image ${baseImage} is not in the Docker daemon and could not be pulled; set NODE_BASE_IMAGE to a local image (e.g. node tools/scripts/stand-in-node-image.ts)`,
      );
    }
  }

  const baseId = base.id;
  const { repository, tag, ref, migrations } = await step(
    SCOPE,
    `hash ${app.root} build context`,
    () => contentRef(workspaceRoot, app, { image: baseImage, id: baseId }),
  );
  wanted = ref;

  const decision = decideBuild(ref, (await inspectImage(ref))?.id);
  info(SCOPE, decision.reason);
  if (decision.build) {
    const { version } = JSON.parse(
      await readFile(join(workspaceRoot, app.root, 'package.json'), 'utf8'),
    );
    const [revision, source] = await Promise.all([
      git('rev-parse', 'HEAD'),
      git('remote', 'get-url', 'origin'),
    ]);
    await step(SCOPE, `docker build ${ref}`, () =>
      buildImage({
        context: join(workspaceRoot, app.root),
        dockerfile: join(workspaceRoot, app.root, 'Dockerfile'),
        tag: ref,
        buildArgs: {
          NODE_BASE_IMAGE: baseImage,
          VERSION: version,
          SOURCE: publicSourceUrl(source),
        },
        labels: { 'org.opencontainers.image.revision': revision },
      }),
    );
  }
  const image = await inspectImage(ref);
  if (!image) throw new Error(`${ref} is missing right after docker build`);

  const appLayersBytes = image.sizeBytes - base.sizeBytes;
  const verdict = appLayersBytes <= app.appLayersBudget ? 'within' : 'OVER';
  info(
    SCOPE,
    `${ref}: ${mb(image.sizeBytes)} total, ${mb(appLayersBytes)} of app layers on ${baseImage} (${verdict} the ${mb(app.appLayersBudget)} budget)`,
  );
  if (verdict === 'OVER') throw new UserError(`${ref} is over its size budget`);

  const record: ImageRecord = {
    app: app.name,
    repository,
    tag,
    image: ref,
    imageId: image.id,
    baseImage,
    sizeBytes: image.sizeBytes,
    appLayersBytes,
    ...(migrations ? { migrations } : {}),
  };
  await mkdir(join(workspaceRoot, 'dist', 'images'), { recursive: true });
  await writeFile(imageRecordPath(app.name), `${JSON.stringify(record, null, 2)}\n`);
  await writeStepRecord({
    task: `${app.name}:docker-build`,
    action: decision.build ? 'built' : 'reused',
    reason: decision.reason,
    durationMs: performance.now() - started,
    details: { image: ref, sizeBytes: image.sizeBytes, appLayersBytes },
  });
}

if (import.meta.main)
  await runCommand(SCOPE, () => main(process.argv[2]), {
    interruptible: { task: `${process.argv[2]}:docker-build` },
  });
