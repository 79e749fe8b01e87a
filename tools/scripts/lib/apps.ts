/**
 * Which apps the deploy ships, and what goes into each app's image. An app is a folder
 * `apps/<name>/` holding a Dockerfile, its Nx project named `<name>`: the workspace's Nx plugin
 * (tools/nx-plugin) gives it the docker-build and minikube-load targets by the same rule, and
 * the deploy hands the chart `<name>.image.repository` and `<name>.image.tag` for each. The
 * image description drives the image digest (which files are hashed) and the app's
 * .dockerignore (which files Docker sends as build context), so the tag changes exactly when
 * the image content can change.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type AppImage = {
  /** Nx project name and image name. */
  name: string;
  /** Folder of the app, relative to the workspace root; it holds the Dockerfile and is the build context. */
  root: string;
  /** Paths inside `root` that make up the build context (the `build` target's outputs). */
  include: string[];
  /** Paths inside `include` left out of the context. */
  excludePaths: string[];
  /** File name endings left out of the context even inside `include`. */
  excludeSuffixes: string[];
  /** Budget for the layers the app adds on top of the base image, in bytes (10^6 per MB). */
  appLayersBudget: number;
  /**
   * Folder inside `include` holding the database migrations the image applies: a deploy whose
   * migrations equal the deployed ones skips the migration Job.
   */
  migrations?: string;
};

export const REPOSITORY_PREFIX = 'todo-chatbot';

/** The Dockerfiles' default; NODE_BASE_IMAGE overrides it (a local stand-in where no registry is reachable). */
export const DEFAULT_NODE_BASE_IMAGE = 'node:24-bookworm-slim';

/** The folder whose subfolders with a Dockerfile are the apps. */
export const APPS_DIR = 'apps';

/** The glob, from the workspace root, of the Dockerfiles that make an app (the plugin's). */
export const APP_DOCKERFILES = `${APPS_DIR}/*/Dockerfile`;

/** Pure: the app a Dockerfile path (relative, `/`-separated) makes, or undefined. */
export function appOfDockerfile(path: string): { name: string; root: string } | undefined {
  const match = new RegExp(`^${APPS_DIR}/([^/]+)/Dockerfile$`).exec(path);
  return match?.[1] ? { name: match[1], root: `${APPS_DIR}/${match[1]}` } : undefined;
}

/** The apps of a workspace, in name order: the folders of `apps/` holding a Dockerfile. */
export function discoverApps(workspaceRoot: string): string[] {
  const dir = join(workspaceRoot, APPS_DIR);
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
    : [];
  return names.filter((name) => existsSync(join(dir, name, 'Dockerfile'))).sort();
}

/**
 * The image description of an app that needs none of its own: the context is its build's
 * `dist/` (the build target's output), without source maps.
 */
export function defaultAppImage(name: string): AppImage {
  return {
    name,
    root: `${APPS_DIR}/${name}`,
    include: ['dist'],
    excludePaths: [],
    excludeSuffixes: ['.map'],
    appLayersBudget: 40e6,
  };
}

/** Pure: an app's image description, its own (below) or the default one. */
export const appImage = (name: string): AppImage => APPS[name] ?? defaultAppImage(name);

/** The apps whose image differs from `defaultAppImage`. */
export const APPS: Record<string, AppImage> = {
  backend: {
    name: 'backend',
    root: 'apps/backend',
    // The bundle arranged as the image's layers (engine/ and app/, hard links into dist/).
    include: ['dist/image'],
    excludePaths: [],
    excludeSuffixes: [],
    appLayersBudget: 40e6,
    migrations: 'dist/image/app/migrations',
  },
  frontend: {
    name: 'frontend',
    root: 'apps/frontend',
    // The traced dependencies enter as the build's reproducible archive (ADD unpacks it), not
    // as the unpacked folder, which a cache-restored build may lack.
    include: ['.next/standalone', '.next/standalone-modules.tar'],
    excludePaths: ['.next/standalone/node_modules'],
    // Source maps only help a debugger attached to the server; they would ship the source.
    excludeSuffixes: ['.map'],
    appLayersBudget: 80e6,
  },
};

/** The .dockerignore that keeps the context to `include` minus the excluded paths and suffixes. */
export function dockerignoreFor(app: AppImage): string {
  const lines = [
    '# Generated from tools/scripts/lib/apps.ts (a unit test keeps them equal): the context is',
    '# exactly the files the image digest hashes.',
    '*',
    ...app.include.map((path) => `!${path}`),
    ...app.excludePaths,
    ...app.excludeSuffixes.map((suffix) => `**/*${suffix}`),
  ];
  return `${lines.join('\n')}\n`;
}
