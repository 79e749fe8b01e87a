/**
 * Makes `next build` reproducible: the same sources, lockfile and settings give a byte-identical
 * `.next/standalone`, so an edit that compiles to the same code (a comment, formatting, a shared
 * setting the build does not read) gives the same image content tag and deploys nothing.
 *
 * What `next build` varies from run to run, and what takes its place:
 * - the build id (a random nanoid): next.config.ts pins a placeholder, replaced here by a digest
 *   of the compiled output (source maps left out), so it still changes exactly when the served
 *   code does, which is what Next's client uses it for (a new id forces a full navigation);
 * - the draft-mode keys (`preview-props.json`, random unless Next finds its own cache, which it
 *   skips inside a container) and the server actions key (`NEXT_SERVER_ACTIONS_ENCRYPTION_KEY`):
 *   derived from a random secret of this workspace, kept out of the repo, so they stay secret
 *   and stable;
 * - the absolute workspace path in the server's configuration (`required-server-files.json`,
 *   the standalone `server.js`), which nothing reads at run time: the image's `/app`, so two
 *   checkouts in different folders build the same image.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** next.config.ts's `generateBuildId`; 21 characters like Next's own ids. */
export const BUILD_ID_PLACEHOLDER = 'todo-chatbot-build-id';

/** Where the standalone server lives in the image (the Dockerfile's WORKDIR is under it). */
export const IMAGE_ROOT = '/app';

export type BuildKeys = {
  serverActionsKey: string;
  previewModeId: string;
  previewModeSigningKey: string;
  previewModeEncryptionKey: string;
};

/** Pure: the build's keys from the workspace secret, in the formats Next generates them. */
export function deriveKeys(secret: Buffer): BuildKeys {
  const derive = (purpose: string) => createHmac('sha256', secret).update(purpose).digest();
  return {
    serverActionsKey: derive('next server actions').toString('base64'),
    previewModeId: derive('next preview mode id').toString('hex').slice(0, 32),
    previewModeSigningKey: derive('next preview mode signing').toString('hex'),
    previewModeEncryptionKey: derive('next preview mode encryption').toString('hex'),
  };
}

/**
 * The workspace's build secret: made once, readable by its owner only, kept under
 * node_modules/.cache (never in the repo, the Nx cache key or a log).
 */
export async function workspaceSecret(workspaceRoot: string): Promise<Buffer> {
  const file = join(
    workspaceRoot,
    'node_modules',
    '.cache',
    'todo-chatbot',
    'frontend-build-secret',
  );
  const kept = await readFile(file).catch(() => undefined);
  if (kept?.length === 32) return kept;
  const secret = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

/** Pure: a 21-character build id (Next's alphabet) from the digest of the output. */
export function buildIdFrom(files: { path: string; content: Buffer }[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file.path}\0${file.content.length}\0`).update(file.content);
  }
  return hash.digest('base64url').slice(0, 21);
}

/** Pure: `text` with each key of `replacements` replaced by its value, and whether any was. */
export function replaceAll(
  text: string,
  replacements: Map<string, string>,
): { text: string; changed: boolean } {
  let out = text;
  for (const [from, to] of replacements) out = out.replaceAll(from, to);
  return { text: out, changed: out !== text };
}

/**
 * Pure: the quoted absolute workspace paths in the server's configuration, mapped to
 * the image's root (`"/work/x"` and `"/work/x/..."`, so a longer path sharing the prefix is kept).
 */
export function workspacePathReplacements(workspaceRoot: string): Map<string, string> {
  const root = workspaceRoot.endsWith(sep) ? workspaceRoot.slice(0, -1) : workspaceRoot;
  return new Map([
    [`"${root}/`, `"${IMAGE_ROOT}/`],
    [`"${root}"`, `"${IMAGE_ROOT}"`],
  ]);
}

// Not part of what the server runs: Next's build cache and traces, the type stubs, and the
// traced dependencies (archived reproducibly by standalone-modules.ts).
const SKIPPED = new Set(['cache', 'trace', 'trace-build', 'diagnostics', 'types', 'node_modules']);

async function* outputFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* outputFiles(path);
    else if (entry.isFile()) yield path;
  }
}

async function* directories(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    yield* directories(path);
    yield path;
  }
}

/** Applies the replacements to the file (as bytes: latin1 maps each one to a char) and returns it. */
async function rewrite(file: string, replacements: Map<string, string>): Promise<string> {
  const { text, changed } = replaceAll(await readFile(file, 'latin1'), replacements);
  if (changed) await writeFile(file, text, 'latin1');
  return text;
}

/**
 * Rewrites a fresh `next build` output in `nextDir` in place: stable keys, the image's paths,
 * then the build id from the digest of the result. `pathBound` lists the files that still hold
 * the absolute workspace path somewhere new (a Next upgrade), which two checkouts in different
 * folders would build differently.
 */
export async function stabilizeBuild(options: {
  nextDir: string;
  workspaceRoot: string;
  keys: BuildKeys;
}): Promise<{ buildId: string; pathBound: string[] }> {
  const { nextDir, workspaceRoot, keys } = options;
  const buildId = (await readFile(join(nextDir, 'BUILD_ID'), 'utf8')).trim();
  if (buildId !== BUILD_ID_PLACEHOLDER) {
    throw new Error(
      `.next/BUILD_ID is ${buildId}, not ${BUILD_ID_PLACEHOLDER}: next.config.ts must keep generateBuildId`,
    );
  }
  const generated = JSON.parse(
    await readFile(join(nextDir, 'server', 'preview-props.json'), 'utf8'),
  ) as Omit<BuildKeys, 'serverActionsKey'>;
  const replacements = new Map([
    [generated.previewModeId, keys.previewModeId],
    [generated.previewModeSigningKey, keys.previewModeSigningKey],
    [generated.previewModeEncryptionKey, keys.previewModeEncryptionKey],
    ...workspacePathReplacements(workspaceRoot),
  ]);

  const files: { path: string; content: Buffer }[] = [];
  for await (const file of outputFiles(nextDir)) {
    const text = await rewrite(file, replacements);
    if (!file.endsWith('.map')) {
      files.push({ path: relative(nextDir, file), content: Buffer.from(text, 'latin1') });
    }
  }

  const stableId = buildIdFrom(files);
  const idReplacement = new Map([[BUILD_ID_PLACEHOLDER, stableId]]);
  const pathBound: string[] = [];
  for await (const file of outputFiles(nextDir)) {
    const text = await rewrite(file, idReplacement);
    if (!file.endsWith('.map') && text.includes(workspaceRoot)) {
      pathBound.push(relative(workspaceRoot, file));
    }
  }
  for await (const dir of directories(nextDir)) {
    if (dir.endsWith(`${sep}${BUILD_ID_PLACEHOLDER}`)) {
      await rename(dir, join(dirname(dir), stableId));
    }
  }
  return { buildId: stableId, pathBound };
}
