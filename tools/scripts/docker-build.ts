/**
 * `npx nx run <app>:docker-build`: builds the app's image from its `build` output and writes
 * dist/images/<app>.json (repository, tag, image id, sizes) for the deploy targets.
 *
 * The tag is a digest of the image's inputs (build context, Dockerfile, .dockerignore, base
 * image name and id), so equal inputs give the equal tag and an image with that tag is the
 * cache. Why the Nx target is not cached: on an Nx cache hit Nx restores the JSON and runs
 * nothing, yet the image may be gone from the daemon (pruned, fresh daemon, another machine).
 * Nx cannot key on daemon state without a runtime input, and that input would change as soon
 * as this very run builds the image. So Nx always runs this script, and the script asks the
 * daemon (one `docker image inspect`, ~50 ms after hashing the context) and skips
 * `docker build` when the content tag is present. It prints which way it went and why.
 *
 * Usage: node tools/scripts/docker-build.ts <backend|frontend>   (env NODE_BASE_IMAGE)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import { APPS, DEFAULT_NODE_BASE_IMAGE, REPOSITORY_PREFIX } from './lib/apps.ts';
import { decideBuild } from './lib/build-decision.ts';
import {
  assertDockerAvailable,
  buildImage,
  DockerUnavailableError,
  inspectImage,
} from './lib/docker.ts';
import { hashContext, imageDigest, imageTag } from './lib/image-digest.ts';
import { info, mb, step } from './lib/log.ts';

const SCOPE = 'docker-build';
const workspaceRoot = join(import.meta.dirname, '..', '..');

/** What downstream targets (minikube-load, helm-deploy) read. */
export type ImageRecord = {
  app: string;
  repository: string;
  tag: string;
  image: string;
  imageId: string;
  baseImage: string;
  sizeBytes: number;
  appLayersBytes: number;
};

export function imageRecordPath(app: string): string {
  return join(workspaceRoot, 'dist', 'images', `${app}.json`);
}

/** An expected failure (usage, missing base image, size budget): its message says it all. */
class CommandError extends Error {}

/** Git metadata for the OCI labels; 'unknown' outside a git checkout. */
async function git(...args: string[]): Promise<string> {
  const result = await $({ nothrow: true, quiet: true, cwd: workspaceRoot })`git ${args}`;
  return result.exitCode === 0 ? result.stdout.trim() : 'unknown';
}

async function main(appName: string | undefined): Promise<void> {
  const app = appName ? APPS[appName] : undefined;
  if (!app) throw new CommandError(`usage: docker-build.ts <${Object.keys(APPS).join('|')}>`);
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
      throw new CommandError(
        `base image ${baseImage} is not in the Docker daemon and could not be pulled; set NODE_BASE_IMAGE to a local image (e.g. node tools/scripts/stand-in-node-image.ts)`,
      );
    }
  }

  const files = await step(SCOPE, `hash ${app.root} build context`, () =>
    hashContext(workspaceRoot, app),
  );
  const tag = imageTag(imageDigest({ files, baseImage, baseImageId: base.id }));
  const repository = `${REPOSITORY_PREFIX}/${app.name}`;
  const ref = `${repository}:${tag}`;

  const decision = decideBuild(ref, (await inspectImage(ref))?.id);
  info(SCOPE, decision.reason);
  if (decision.build) {
    const { version } = JSON.parse(
      await readFile(join(workspaceRoot, app.root, 'package.json'), 'utf8'),
    );
    const revision = await git('rev-parse', 'HEAD');
    const source = await git('remote', 'get-url', 'origin');
    await step(SCOPE, `docker build ${ref}`, () =>
      buildImage({
        context: join(workspaceRoot, app.root),
        dockerfile: join(workspaceRoot, app.root, 'Dockerfile'),
        tag: ref,
        buildArgs: {
          NODE_BASE_IMAGE: baseImage,
          VERSION: version,
          REVISION: revision,
          SOURCE: source,
        },
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
  if (verdict === 'OVER') throw new CommandError(`${ref} is over its size budget`);

  const record: ImageRecord = {
    app: app.name,
    repository,
    tag,
    image: ref,
    imageId: image.id,
    baseImage,
    sizeBytes: image.sizeBytes,
    appLayersBytes,
  };
  await mkdir(join(workspaceRoot, 'dist', 'images'), { recursive: true });
  await writeFile(imageRecordPath(app.name), `${JSON.stringify(record, null, 2)}\n`);
}

if (import.meta.main) {
  try {
    await main(process.argv[2]);
  } catch (error) {
    if (!(error instanceof CommandError || error instanceof DockerUnavailableError)) throw error;
    console.error(`[${SCOPE}] ${error.message}`);
    process.exit(1);
  }
}
