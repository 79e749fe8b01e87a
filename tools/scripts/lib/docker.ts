/**
 * Thin wrapper around the docker CLI: the commands the pipeline scripts need, with their
 * output parsed. The CLI (not the Engine API) keeps contexts, DOCKER_HOST and TLS settings
 * working exactly as they do for the developer's own `docker` commands.
 */
import { $ } from 'zx';
import { UserError } from './command.ts';

/** Thrown when the daemon cannot be reached; the message is one line that says how to fix it. */
export class DockerUnavailableError extends UserError {}

/** Fails with DockerUnavailableError unless the CLI is installed and its daemon answers. */
export async function assertDockerAvailable(): Promise<void> {
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

/** The local image's id and size, or undefined when the daemon has no such image. */
export async function inspectImage(ref: string): Promise<ImageInfo | undefined> {
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
};

/** `docker build`, streaming its output. The engine may be the legacy builder: no BuildKit flags. */
export async function buildImage(options: BuildOptions): Promise<void> {
  const args = ['build', '--file', options.dockerfile, '--tag', options.tag];
  for (const [key, value] of Object.entries(options.buildArgs))
    args.push('--build-arg', `${key}=${value}`);
  args.push(options.context);
  await $({ stdio: 'inherit' })`docker ${args}`;
}
