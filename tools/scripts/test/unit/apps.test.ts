import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPS, dockerignoreFor } from '../../lib/apps.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe.each(Object.values(APPS))('$name image', (app) => {
  it('.dockerignore sends exactly the files the digest hashes', async () => {
    const file = await readFile(join(workspaceRoot, app.root, '.dockerignore'), 'utf8');
    expect(file).toBe(dockerignoreFor(app));
  });
});

/** `@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe.each(Object.values(APPS))('$name build', (app) => {
  it('keys its Nx cache on every package it bundles or builds with (a version bump rebuilds)', async () => {
    const read = (path: string) => readFile(join(workspaceRoot, app.root, path), 'utf8');
    const manifest = JSON.parse(await read('package.json'));
    const project = JSON.parse(await read('project.json'));
    const keyed = project.targets.build.inputs.flatMap(
      (input: { externalDependencies?: string[] }) => input.externalDependencies ?? [],
    );
    // The build command is a script in scripts/; what it imports from there counts too (not
    // the folder's other scripts, such as backend's api-types.ts, which other targets run).
    const buildScript = /node (scripts\/[\w-]+\.ts)/.exec(project.targets.build.command)?.[1];
    expect(buildScript).toBeDefined();
    const sources = [join(buildScript ?? '')];
    for (let at = 0; at < sources.length; at++) {
      const code = await read(sources[at] ?? '');
      for (const [, local = ''] of code.matchAll(/^import .* from '\.\/([^']+)';$/gm)) {
        const path = join('scripts', local);
        if (!sources.includes(path)) sources.push(path);
      }
    }
    const script = (await Promise.all(sources.map(read))).join('\n');
    const buildTools = [...script.matchAll(/^import .* from '([^.][^']*)';$/gm)]
      .map((match) => match[1] ?? '')
      .filter((specifier) => !specifier.startsWith('node:'))
      .map(packageOf);
    const needed = [...Object.keys(manifest.dependencies), ...buildTools];
    expect(needed.filter((name) => !keyed.includes(name))).toEqual([]);
  });

  it('declares every package its code imports (the bundle must not rely on hoisting)', async () => {
    const manifest = JSON.parse(
      await readFile(join(workspaceRoot, app.root, 'package.json'), 'utf8'),
    );
    const declared = Object.keys(manifest.dependencies);
    const imported = new Set<string>();
    const src = join(workspaceRoot, app.root, 'src');
    for (const file of await readdir(src, { recursive: true })) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
      const code = (await readFile(join(src, file), 'utf8')).replace(/^import type .*$/gm, '');
      for (const [, specifier = ''] of code.matchAll(
        /(?:from |import\()'([^'.@][^']*|@[^/'][^']*)'/g,
      ))
        if (!specifier.startsWith('node:')) imported.add(packageOf(specifier));
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((name) => !declared.includes(name))).toEqual([]);
  });
});
