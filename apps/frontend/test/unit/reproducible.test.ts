import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUILD_ID_PLACEHOLDER,
  buildIdFrom,
  deriveKeys,
  replaceAll,
  stabilizeBuild,
  workspacePathReplacements,
  workspaceSecret,
} from '../../scripts/reproducible.ts';

const secret = Buffer.alloc(32, 7);

describe('deriveKeys', () => {
  it('gives keys in the formats Next generates, the same for the same secret', () => {
    const keys = deriveKeys(secret);
    expect(keys.previewModeId).toMatch(/^[0-9a-f]{32}$/);
    expect(keys.previewModeSigningKey).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.previewModeEncryptionKey).toMatch(/^[0-9a-f]{64}$/);
    // An AES-256 key, base64 as NEXT_SERVER_ACTIONS_ENCRYPTION_KEY wants it.
    expect(Buffer.from(keys.serverActionsKey, 'base64')).toHaveLength(32);
    expect(deriveKeys(Buffer.alloc(32, 7))).toEqual(keys);
    expect(new Set(Object.values(keys)).size).toBe(4);
  });

  it('gives other keys for another secret', () => {
    const mine = deriveKeys(secret);
    const theirs = deriveKeys(Buffer.alloc(32, 8));
    for (const name of Object.keys(mine) as (keyof typeof mine)[]) {
      expect(theirs[name]).not.toBe(mine[name]);
    }
  });
});

describe('buildIdFrom', () => {
  const page = { path: 'server/app/index.html', content: Buffer.from('<html>a</html>') };
  const chunk = { path: 'static/chunks/a.js', content: Buffer.from('console.log(1)') };
  const files = [page, chunk];

  it("is 21 characters of Next's alphabet, whatever the file order", () => {
    const id = buildIdFrom(files);
    expect(id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(buildIdFrom([...files].reverse())).toBe(id);
  });

  it('changes with any byte of the output, and with a file moved', () => {
    const id = buildIdFrom(files);
    expect(buildIdFrom([page, { ...chunk, content: Buffer.from('console.log(2)') }])).not.toBe(id);
    expect(buildIdFrom([page, { ...chunk, path: 'static/chunks/b.js' }])).not.toBe(id);
    // A path/content boundary cannot be shifted to give the same digest.
    expect(buildIdFrom([{ path: 'ab', content: Buffer.from('c') }])).not.toBe(
      buildIdFrom([{ path: 'a', content: Buffer.from('bc') }]),
    );
  });
});

describe('replaceAll', () => {
  it('replaces every occurrence and says whether anything changed', () => {
    expect(replaceAll('x-a-a', new Map([['a', 'b']]))).toEqual({ text: 'x-b-b', changed: true });
    expect(replaceAll('x', new Map([['a', 'b']]))).toEqual({ text: 'x', changed: false });
  });
});

describe('workspacePathReplacements', () => {
  it('maps the quoted workspace root and paths under it to /app, not longer names sharing it', () => {
    const text =
      '{"root":"/w/main/","repoRoot":"/w/main","appDir":"/w/main/apps/f","o":"/w/main2/x"}';
    expect(replaceAll(text, workspacePathReplacements('/w/main')).text).toBe(
      '{"root":"/app/","repoRoot":"/app","appDir":"/app/apps/f","o":"/w/main2/x"}',
    );
    expect(workspacePathReplacements('/w/main/')).toEqual(workspacePathReplacements('/w/main'));
  });
});

describe('workspaceSecret', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('is made once, owner-only, and kept', async () => {
    root = await mkdtemp(join(tmpdir(), 'secret-'));
    const first = await workspaceSecret(root);
    expect(first).toHaveLength(32);
    expect(await workspaceSecret(root)).toEqual(first);
    const file = join(root, 'node_modules', '.cache', 'todo-chatbot', 'frontend-build-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('stabilizeBuild', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A miniature `next build` output, as Next 16 lays it out, with the given random values. */
  async function fakeBuild(random: { previewId: string; signing: string; encryption: string }) {
    root = await mkdtemp(join(tmpdir(), 'stabilize-'));
    const nextDir = join(root, 'apps', 'web', '.next');
    const standalone = join(nextDir, 'standalone', 'apps', 'web');
    const preview = {
      previewModeId: random.previewId,
      previewModeSigningKey: random.signing,
      previewModeEncryptionKey: random.encryption,
    };
    const files: Record<string, string> = {
      BUILD_ID: BUILD_ID_PLACEHOLDER,
      'server/preview-props.json': JSON.stringify(preview),
      'prerender-manifest.json': JSON.stringify({ preview }),
      [`static/${BUILD_ID_PLACEHOLDER}/_buildManifest.js`]: 'self.__BUILD_MANIFEST={}',
      'server/app/index.html': `<script>"b":"${BUILD_ID_PLACEHOLDER}"</script>`,
      'server/chunks/a.js.map': `{"sources":["${root}/apps/web/src/a.ts"]}`,
      'required-server-files.json': JSON.stringify({ appDir: `${root}/apps/web` }),
      'cache/keep.txt': random.previewId,
      'standalone/node_modules/dep/index.js': `"${root}/x"`,
    };
    files[join('standalone', 'apps', 'web', 'server.js')] =
      `const nextConfig = ${JSON.stringify({ outputFileTracingRoot: `${root}/` })}`;
    files[join('standalone', 'apps', 'web', '.next', 'prerender-manifest.json')] = JSON.stringify({
      preview,
    });
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(nextDir, path)), { recursive: true });
      await writeFile(join(nextDir, path), content);
    }
    return { root, nextDir, standalone };
  }

  it('replaces the random values and paths, names the build by its output, and is reproducible', async () => {
    const keys = deriveKeys(secret);
    const first = await fakeBuild({
      previewId: 'a'.repeat(32),
      signing: 'b'.repeat(64),
      encryption: 'c'.repeat(64),
    });
    const { buildId } = await stabilizeBuild({
      nextDir: first.nextDir,
      workspaceRoot: first.root,
      keys,
    });
    const read = (path: string) => readFile(join(first.nextDir, path), 'utf8');

    expect(buildId).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(await read('BUILD_ID')).toBe(buildId);
    expect(await read('server/app/index.html')).toContain(`"b":"${buildId}"`);
    expect(await readdir(join(first.nextDir, 'static'))).toEqual([buildId]);
    expect(JSON.parse(await read('server/preview-props.json'))).toEqual({
      previewModeId: keys.previewModeId,
      previewModeSigningKey: keys.previewModeSigningKey,
      previewModeEncryptionKey: keys.previewModeEncryptionKey,
    });
    expect(await read('standalone/apps/web/.next/prerender-manifest.json')).toContain(
      keys.previewModeSigningKey,
    );
    expect(await read('standalone/apps/web/server.js')).toContain(
      '"outputFileTracingRoot":"/app/"',
    );
    expect(JSON.parse(await read('required-server-files.json'))).toEqual({
      appDir: '/app/apps/web',
    });
    // Next's own cache and the traced dependencies are not the server's code: left alone.
    expect(await read('cache/keep.txt')).toBe('a'.repeat(32));
    expect(await read('standalone/node_modules/dep/index.js')).toContain(first.root);

    // Another run of `next build` draws other random values: the result is the same.
    const snapshot = await read('server/app/index.html');
    await rm(first.root, { recursive: true, force: true });
    const second = await fakeBuild({
      previewId: 'd'.repeat(32),
      signing: 'e'.repeat(64),
      encryption: 'f'.repeat(64),
    });
    const again = await stabilizeBuild({
      nextDir: second.nextDir,
      workspaceRoot: second.root,
      keys,
    });
    expect(again.buildId).toBe(buildId);
    expect(await readFile(join(second.nextDir, 'server/app/index.html'), 'utf8')).toBe(snapshot);
  });

  it('gives a new build id when the served code changes, not when only a source map does', async () => {
    const keys = deriveKeys(secret);
    const random = {
      previewId: 'a'.repeat(32),
      signing: 'b'.repeat(64),
      encryption: 'c'.repeat(64),
    };
    const base = await fakeBuild(random);
    const { buildId } = await stabilizeBuild({
      nextDir: base.nextDir,
      workspaceRoot: base.root,
      keys,
    });

    await rm(base.root, { recursive: true, force: true });
    const mapOnly = await fakeBuild(random);
    await writeFile(
      join(mapOnly.nextDir, 'server/chunks/a.js.map'),
      '{"sourcesContent":["// a comment"]}',
    );
    expect(
      (await stabilizeBuild({ nextDir: mapOnly.nextDir, workspaceRoot: mapOnly.root, keys }))
        .buildId,
    ).toBe(buildId);

    await rm(mapOnly.root, { recursive: true, force: true });
    const changed = await fakeBuild(random);
    await writeFile(join(changed.nextDir, 'server/chunks/a.js'), 'console.log("new")');
    expect(
      (await stabilizeBuild({ nextDir: changed.nextDir, workspaceRoot: changed.root, keys }))
        .buildId,
    ).not.toBe(buildId);
  });

  it('refuses an output whose build id next.config.ts did not pin', async () => {
    const built = await fakeBuild({
      previewId: 'a'.repeat(32),
      signing: 'b'.repeat(64),
      encryption: 'c'.repeat(64),
    });
    await writeFile(join(built.nextDir, 'BUILD_ID'), 'ZWlupYfmkiBcowijQJOpW');
    await expect(
      stabilizeBuild({
        nextDir: built.nextDir,
        workspaceRoot: built.root,
        keys: deriveKeys(secret),
      }),
    ).rejects.toThrow(/next.config.ts must keep generateBuildId/);
  });
});
