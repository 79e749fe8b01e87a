/**
 * Thin wrapper around the docker CLI: the commands the pipeline scripts need, with their
 * output parsed. The CLI keeps contexts, DOCKER_HOST and TLS settings working exactly as they
 * do for the developer's own `docker` commands. The one exception is the image lookup of the
 * Nx runtime inputs, which asks a local daemon's socket directly when nothing else is
 * configured: a CLI process costs ~70 ms on the critical path of a no-change deploy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { UserError } from './command.ts';
import { shell } from './shell.ts';

// Not `import ... from 'node:http'`: the ESM wrapper of node:http evaluates its lazy exports,
// which loads the bundled undici (~15 ms on every runtime input that only needs `get`).
const { get } = process.getBuiltinModule('node:http');

/** Thrown when the daemon cannot be reached; the message is one line that says how to fix it. */
export class DockerUnavailableError extends UserError {}

/** Fails with DockerUnavailableError unless the CLI is installed and its daemon answers. */
export async function assertDockerAvailable(): Promise<void> {
  const $ = await shell();
  const which = await $({ nothrow: true, quiet: true })`command -v docker`;
  if (which.exitCode !== 0) {
    throw new DockerUnavailableError(
      'docker CLI not found: install Docker (Docker Desktop, or `apt-get install docker.io`) and retry',
    );
  }
  const probe = await $({ nothrow: true, quiet: true })`docker info --format {{.ServerVersion}}`;
  if (probe.exitCode !== 0) {
    throw new DockerUnavailableError(
      'Docker daemon not reachable: start it (`sudo systemctl start docker`, Docker Desktop, or `sudo dockerd &`) and retry',
    );
  }
}

export type ImageInfo = { id: string; sizeBytes: number };

/** The local daemon's socket, when the CLI would use it too (no remote host, no context). */
function localSocket(): string | undefined {
  const host = process.env.DOCKER_HOST;
  if (host) return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  if (process.env.DOCKER_CONTEXT) return undefined;
  const config = join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  try {
    const { currentContext } = JSON.parse(readFileSync(config, 'utf8')) as {
      currentContext?: string;
    };
    if (currentContext && currentContext !== 'default') return undefined;
  } catch {
    // No config file (or an unreadable one): the CLI uses the default socket too.
  }
  return existsSync('/var/run/docker.sock') ? '/var/run/docker.sock' : undefined;
}

/** GET /images/{ref}/json on the socket: the image, null when absent, undefined on no answer. */
function inspectOnSocket(socketPath: string, ref: string): Promise<ImageInfo | null | undefined> {
  return new Promise((resolve) => {
    const request = get(
      { socketPath, path: `/images/${encodeURIComponent(ref)}/json`, timeout: 5000 },
      async (response) => {
        const body = await text(response).catch(() => undefined);
        if (response.statusCode === 404) return resolve(null);
        if (response.statusCode !== 200 || body === undefined) return resolve(undefined);
        const image = JSON.parse(body) as { Id: string; Size: number };
        resolve({ id: image.Id, sizeBytes: image.Size });
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** The local image's id and size, or undefined when the daemon has no such image. */
export async function inspectImage(ref: string): Promise<ImageInfo | undefined> {
  const socket = localSocket();
  if (socket) {
    const found = await inspectOnSocket(socket, ref);
    if (found !== undefined) return found ?? undefined;
  }
  const $ = await shell();
  const format = '{{json .Id}} {{json .Size}}';
  const result = await $({
    nothrow: true,
    quiet: true,
  })`docker image inspect --format ${format} ${ref}`;
  if (result.exitCode !== 0) return undefined;
  const [id, size] = result.stdout.trim().split(' ');
  return { id: JSON.parse(id ?? '""'), sizeBytes: Number(size) };
}

export type BuildOptions = {
  context: string;
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  /** Set on the finished image: unlike a build argument, a changed value rebuilds no step. */
  labels?: Record<string, string>;
};

/** `docker build`, streaming its output. The engine may be the legacy builder: no BuildKit flags. */
export async function buildImage(options: BuildOptions): Promise<void> {
  const args = ['build', '--file', options.dockerfile, '--tag', options.tag];
  for (const [key, value] of Object.entries(options.buildArgs))
    args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.labels ?? {}))
    args.push('--label', `${key}=${value}`);
  args.push(options.context);
  const $ = await shell();
  await $({ stdio: 'inherit' })`docker ${args}`;
}
