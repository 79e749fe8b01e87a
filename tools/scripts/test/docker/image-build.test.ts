/**
 * docker-build against the real daemon: content tags, the no-op rebuild, recovery from a
 * removed image, and what the layers contain.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { APPS } from '../../lib/apps.ts';
import { inspectImage } from '../../lib/docker.ts';
import type { ImageRecord } from '../../lib/image-record.ts';
import { baseImage, dockerBuild, workspaceRoot } from './support.ts';

/** Patterns of credentials that must never be baked into an image. */
const SECRET_PATTERNS = [
  // A key, not a library's check for one: the header with base64 under it, as secret scanners
  // (Trivy, gitleaks) match.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=\r\n]{64,}/,
  /AKIA[0-9A-Z]{16}/, // AWS access key id
  /\bsk-(proj-)?[A-Za-z0-9_-]{32,}/, // OpenAI-style API key
  /\bgh[pousr]_[A-Za-z0-9]{36}\b/, // GitHub token
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack token
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\bgsk_[A-Za-z0-9]{40,}/, // Groq API key
];
/** Files that must not be in an app layer: env files, keys, source maps, tests and their fixtures. */
const FORBIDDEN_FILE =
  /(^|\/)(\.env(\..*)?|.*\.pem|.*\.key|id_rsa.*|.*\.map)$|(^|\/)app\/(?!.*node_modules\/).*(\.test\.[cm]?[jt]s|\/fixtures?\/)/;

describe('the secret scan', () => {
  it('finds a private key, not a library that checks for one', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const library = 'if(pkcs8.indexOf("-----BEGIN PRIVATE KEY-----")!==0)throw new TypeError()';
    const found = (text: string) => SECRET_PATTERNS.some((pattern) => pattern.test(text));
    expect([found(`const key = \`${pem}\`;`), found(library)]).toEqual([true, false]);
  });
});

const scratchDirs: string[] = [];
afterAll(() => Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** The files of each layer the image adds to its base, in order, unpacked from `docker save`. */
async function appLayers(image: string): Promise<{ inImage: string; path: string }[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'layers-'));
  scratchDirs.push(dir);
  await $`docker save --output ${join(dir, 'image.tar')} ${image}`;
  await $`tar -xf ${join(dir, 'image.tar')} -C ${dir}`;
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  // The first layers are the base image's; only the ones after them are the app's.
  const layers: string[] = manifest[0].Layers.slice(await layerCount(baseImage));
  expect(layers.length).toBeGreaterThan(0);
  return Promise.all(
    layers.map(async (layer, index) => {
      const out = join(dir, `layer-${index}`);
      await $`mkdir -p ${out} && tar -xf ${join(dir, layer)} -C ${out}`;
      const entries = await readdir(out, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const path = join(entry.parentPath, entry.name);
          return { inImage: path.slice(out.length), path };
        });
    }),
  );
}

describe.each(Object.keys(APPS))('%s image', (app) => {
  let first: ImageRecord;

  beforeAll(async () => {
    first = (await dockerBuild(app)).record;
  });

  it('has a content tag, never latest, and a record of sizes within the budget', async () => {
    expect(first.tag).toMatch(/^[0-9a-f]{16}$/);
    expect(first.image).toBe(`${first.repository}:${first.tag}`);
    expect(first.baseImage).toBe(baseImage);
    expect(first.appLayersBytes).toBeGreaterThan(0);
    expect(first.appLayersBytes).toBeLessThanOrEqual(APPS[app]?.appLayersBudget ?? 0);
  });

  it('a no-change rebuild is a no-op: same tag and image, no docker build', async () => {
    const again = await dockerBuild(app);
    expect(again.output).toContain('docker build skipped');
    expect(again.output).not.toContain('Sending build context');
    expect(again.record).toEqual(first);
  });

  it('rebuilds a removed image under the same tag', async () => {
    await $`docker image rm ${first.image}`;
    const again = await dockerBuild(app);
    expect(again.output).toContain('not in the Docker daemon');
    expect(again.record.tag).toBe(first.tag);
    expect(await inspectImage(first.image)).toBeDefined();
    first = again.record;
  });

  it('carries OCI labels and a numeric non-root user', async () => {
    const format = '{{json .Config}}';
    const config = JSON.parse(
      (await $`docker image inspect --format ${format} ${first.image}`).stdout,
    );
    expect(config.User).toMatch(/^[1-9][0-9]*(:[0-9]+)?$/);
    expect(config.Labels).toMatchObject({
      'org.opencontainers.image.version': expect.any(String),
      'org.opencontainers.image.revision': expect.any(String),
      'org.opencontainers.image.source': expect.any(String),
    });
    expect(config.Cmd[0]).toBe('node');
    expect(config.Healthcheck.Test.join(' ')).toContain('/healthz');
  });

  it('has no .env, key, source map, test file or secret in the layers it adds', async () => {
    const findings: string[] = [];
    for (const layer of await appLayers(first.image)) {
      for (const { inImage, path } of layer) {
        if (FORBIDDEN_FILE.test(inImage)) findings.push(`file ${inImage}`);
        const text = (await readFile(path)).toString('latin1');
        for (const pattern of SECRET_PATTERNS) {
          if (pattern.test(text)) findings.push(`${pattern} in ${inImage}`);
        }
      }
    }
    expect(findings).toEqual([]);
  });
});

async function layerCount(image: string): Promise<number> {
  const format = '{{json .RootFS.Layers}}';
  return JSON.parse((await $`docker image inspect --format ${format} ${image}`).stdout).length;
}

describe('without a reachable Docker daemon', () => {
  it('fails with one line that says how to start it', async () => {
    const result = await $({
      cwd: workspaceRoot,
      nothrow: true,
      quiet: true,
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    })`node tools/scripts/docker-build.ts backend`;
    const lines = `${result.stdout}${result.stderr}`.trim().split('\n');
    expect(result.exitCode).not.toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/Docker daemon not reachable: start it .*retry$/),
    ]);
  });
});

describe('backend image layers', () => {
  it('hold every file of dist/ exactly once: PGlite engine, then dependencies, then the code', async () => {
    const { record } = await dockerBuild('backend');
    const layers = await appLayers(record.image);
    const dist = join(workspaceRoot, 'apps', 'backend', 'dist');
    // dist/image/ is the same files arranged as the layers: every file the app runs from dist/
    // must arrive in /app once.
    const built = (await readdir(dist, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dist, join(entry.parentPath, entry.name)))
      .filter((path) => !path.startsWith(`image${sep}`))
      .map((path) => `/app/${path}`)
      .sort();
    const shipped = layers
      .flat()
      .map((file) => file.inImage)
      .filter((path) => path.startsWith('/app/'));
    expect(shipped.sort()).toEqual(built);
    const layerOf = (path: string) =>
      layers.findIndex((layer) => layer.some((f) => f.inImage === path));
    const engine = layerOf('/app/vendor/pglite.wasm');
    const vendor = layerOf('/app/vendor/fastify.js');
    const code = layerOf('/app/main.js');
    expect(engine).toBeGreaterThanOrEqual(0);
    expect(engine).toBeLessThan(vendor);
    expect(vendor).toBeLessThan(code);
    // The code's layer holds no dependency: an edit sends only the app's own files.
    expect(layers[code]?.filter((file) => file.inImage.startsWith('/app/vendor/'))).toEqual([]);
  });
});
