/**
 * A second Docker engine on this host, as another machine's: dockerd with a data root, exec
 * root and socket of its own (and the containerd it manages), holding only the base image the
 * builds start from. Clients reach it through DOCKER_HOST.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { poll } from '@todo/scripts/lib/poll.ts';
import { $ } from 'zx';

export type SecondDocker = {
  /** DOCKER_HOST for this engine. */
  host: string;
  /** The repositories:tags of the images it holds. */
  images: () => Promise<string[]>;
  stop: () => Promise<void>;
};

export async function startSecondDocker(baseImage: string): Promise<SecondDocker> {
  // Short: containerd's sockets live under the exec root, and a socket path has 108 bytes.
  const dir = await mkdtemp('/tmp/dkb-');
  const host = `unix://${join(dir, 'docker.sock')}`;
  const daemon = spawn(
    'dockerd',
    [
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'docker.pid'),
      '--host',
      host,
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  daemon.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  const docker = $({ quiet: true, nothrow: true, env: { ...process.env, DOCKER_HOST: host } });
  await poll(async () => (await docker`docker info`).exitCode === 0 || undefined, {
    timeoutMs: 60_000,
    intervalMs: 500,
    stopped: () => (daemon.exitCode === null ? undefined : `the second dockerd exited:\n${log}`),
    timeoutMessage: () => `the second dockerd did not start:\n${log}`,
  });
  const loaded = await $({
    quiet: true,
    nothrow: true,
  })`docker save ${baseImage} | DOCKER_HOST=${host} docker load`;
  if (loaded.exitCode !== 0) throw new Error(`loading ${baseImage}: ${loaded.stderr}`);
  return {
    host,
    images: async () =>
      (await docker`docker images --format {{.Repository}}:{{.Tag}}`).stdout
        .split('\n')
        .filter(Boolean),
    stop: async () => {
      daemon.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
