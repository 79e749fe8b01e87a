/**
 * The content tag of an app image: a digest of everything that decides what the image holds.
 * `imageDigest` is pure (the inputs in, a tag out); `hashContext` reads the files.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type AppImage, REPOSITORY_PREFIX } from './apps.ts';
import { fileHasher } from './file-hashes.ts';

export type FileHash = { path: string; sha256: string };

export type DigestInputs = {
  /** Every file of the build context, the Dockerfile and .dockerignore included. */
  files: FileHash[];
  /** The base image reference, as passed in NODE_BASE_IMAGE. */
  baseImage: string;
  /** The base image's id in the daemon: a rebuilt base under the same name is new content. */
  baseImageId: string;
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Same inputs, same digest, in any file order. The OCI revision label is deliberately not an
 * input: a commit that does not touch the app must not give it a new tag (the label records
 * the commit the content was first built at).
 */
export function imageDigest(inputs: DigestInputs): string {
  const files = [...inputs.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines = [
    'todo-chatbot image digest v1',
    `base ${inputs.baseImage} ${inputs.baseImageId}`,
    ...files.map((file) => `file ${file.path} ${file.sha256}`),
  ];
  return sha256(lines.join('\n'));
}

/** A Docker tag from the digest: 64 bits of it, plenty to tell builds of one app apart. */
export function imageTag(digest: string): string {
  return digest.slice(0, 16);
}

/** Files under `dir`, not descending into the excluded folders (a context leaves out whole trees). */
async function* walk(dir: string, excluded: string[]): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (!entry.isDirectory()) yield path;
    else if (!excluded.includes(path + sep)) yield* walk(path, excluded);
  }
}

/** Where the file digests of an app's context are remembered between runs. */
function contextHashesFile(workspaceRoot: string, app: AppImage): string {
  return join(
    workspaceRoot,
    'node_modules',
    '.cache',
    'todo-chatbot',
    'context-hashes',
    `${app.name}.json`,
  );
}

/**
 * Hashes the Dockerfile, .dockerignore and every context file of the app. Fails when an
 * included path is missing, i.e. the app has not been built.
 */
export async function hashContext(workspaceRoot: string, app: AppImage): Promise<FileHash[]> {
  const root = join(workspaceRoot, app.root);
  const excluded = app.excludePaths.map((path) => join(root, path) + sep);
  const paths = [join(root, 'Dockerfile'), join(root, '.dockerignore')];
  for (const include of app.include) {
    const top = join(root, include);
    const stats = await lstat(top).catch(() => undefined);
    if (!stats)
      throw new Error(`${app.root}/${include} is missing: run \`npx nx run ${app.name}:build\``);
    if (stats.isDirectory()) for await (const path of walk(top, excluded)) paths.push(path);
    else paths.push(top);
  }
  const kept = paths.filter(
    (path) =>
      !app.excludeSuffixes.some((suffix) => path.endsWith(suffix)) &&
      !excluded.some((prefix) => path.startsWith(prefix)),
  );
  const hasher = await fileHasher(contextHashesFile(workspaceRoot, app));
  const files = await Promise.all(
    kept.map(async (path) => ({
      path: relative(root, path).split(sep).join('/'),
      sha256: await hasher.hash(path),
    })),
  );
  await hasher.save();
  return files;
}

/** Pure: a digest of the context files under `folder` (16 hex), or undefined without one. */
export function folderDigest(files: FileHash[], folder: string | undefined): string | undefined {
  if (!folder) return undefined;
  const lines = files
    .filter((file) => file.path.startsWith(`${folder}/`))
    .map((file) => `${file.path} ${file.sha256}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

/** The image reference for the app's current build on this base: `todo-chatbot/<app>:<tag>`. */
export async function contentRef(
  workspaceRoot: string,
  app: AppImage,
  base: { image: string; id: string },
): Promise<{ repository: string; tag: string; ref: string; migrations: string | undefined }> {
  const files = await hashContext(workspaceRoot, app);
  const tag = imageTag(imageDigest({ files, baseImage: base.image, baseImageId: base.id }));
  const repository = `${REPOSITORY_PREFIX}/${app.name}`;
  return {
    repository,
    tag,
    ref: `${repository}:${tag}`,
    migrations: folderDigest(files, app.migrations),
  };
}
