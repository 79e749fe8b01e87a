/**
 * The images the test cluster needs and no registry can supply here, built locally into
 * the Docker engine and then imported into the node's containerd like any other image:
 * - pause: the sandbox image, a static binary that sleeps until signalled;
 * - CoreDNS: the static binary built from its Go module;
 * - PostgreSQL: a stand-in for the official `postgres` image made from Debian's package,
 *   which the Helm chart takes as a value (the official image stays its default).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import { containerdImageId, importImage } from '../../../tools/scripts/lib/containerd-images.ts';
import { inspectImage } from '../../../tools/scripts/lib/docker.ts';
import { step } from '../../../tools/scripts/lib/log.ts';
import { IMAGES, paths, SCOPE } from './config.ts';
import { binaryPath, PROGRAMS } from './go-build.ts';

const ENTRYPOINT = join(import.meta.dirname, '..', 'images', 'postgres', 'docker-entrypoint.sh');

function program(name: string) {
  const found = PROGRAMS.find((candidate) => candidate.binary === name);
  if (!found) throw new Error(`no Go program ${name}`);
  return binaryPath(found);
}

/** An image holding one static binary at /<name> as its entrypoint. */
async function importStaticBinary(image: string, binary: string, args: string[] = []) {
  const work = await mkdtemp('/var/tmp/cluster-image-');
  try {
    const name = binary.split('/').pop() ?? 'app';
    await $`install -m 0755 ${binary} ${join(work, name)}`;
    const entrypoint = `ENTRYPOINT ${JSON.stringify([`/${name}`, ...args])}`;
    await $({ quiet: true })`tar -C ${work} -c . | docker import --change ${entrypoint} - ${image}`;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The Debian mirror apt already uses, so debootstrap goes where apt is allowed to. */
async function debianMirror(): Promise<string> {
  const sources = await readFile('/etc/apt/sources.list.d/debian.sources', 'utf8').catch(() => '');
  return /^URIs:\s*(\S+)/m.exec(sources)?.[1] ?? 'http://deb.debian.org/debian';
}

/**
 * PostgreSQL 15 (what bookworm ships) on a minimal bookworm, laid out like the official
 * image: postgres user and group 999, PGDATA=/var/lib/postgresql/data, the server binaries
 * on PATH and an entrypoint with the same environment contract.
 */
async function buildPostgres(image: string): Promise<void> {
  // /var/tmp, not /tmp: /tmp may be a noexec tmpfs, and debootstrap runs what it unpacks.
  const work = await mkdtemp('/var/tmp/stand-in-postgres-');
  const rootfs = join(work, 'rootfs');
  const inRoot = $({ quiet: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    await inRoot`debootstrap --variant=minbase bookworm ${rootfs} ${await debianMirror()}`;
    // The user exists before the package is installed, so it gets the official uid.
    await inRoot`chroot ${rootfs} groupadd --system --gid 999 postgres`;
    await inRoot`chroot ${rootfs} useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres`;
    // No default cluster and no service start inside the build root.
    await $`mkdir -p ${rootfs}/etc/postgresql-common`;
    await $`echo create_main_cluster = false > ${rootfs}/etc/postgresql-common/createcluster.conf`;
    await $`printf '#!/bin/sh\nexit 101\n' > ${rootfs}/usr/sbin/policy-rc.d && chmod +x ${rootfs}/usr/sbin/policy-rc.d`;
    await inRoot`chroot ${rootfs} apt-get install -y --no-install-recommends postgresql-15`;
    await inRoot`chroot ${rootfs} apt-get clean`;
    await $`rm -rf ${rootfs}/usr/sbin/policy-rc.d ${rootfs}/var/lib/apt/lists ${rootfs}/usr/share/doc ${rootfs}/usr/share/man ${rootfs}/usr/share/locale`;
    await $`mkdir -p ${rootfs}/var/lib/apt/lists/partial ${rootfs}/var/lib/postgresql/data ${rootfs}/var/run/postgresql`;
    await $`chown -R 999:999 ${rootfs}/var/lib/postgresql ${rootfs}/var/run/postgresql`;
    await $`chmod 3777 ${rootfs}/var/run/postgresql`;
    await $`install -m 0755 ${ENTRYPOINT} ${rootfs}/usr/local/bin/docker-entrypoint.sh`;
    const changes = [
      'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'ENV PGDATA=/var/lib/postgresql/data',
      'ENV LANG=C.UTF-8',
      'EXPOSE 5432',
      'ENTRYPOINT ["docker-entrypoint.sh"]',
      'CMD ["postgres"]',
    ].flatMap((change) => ['--change', change]);
    await $({ quiet: true })`tar -C ${rootfs} -c . | docker import ${changes} - ${image}`;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const BUILDERS: Record<keyof typeof IMAGES, (image: string) => Promise<void>> = {
  pause: (image) => importStaticBinary(image, program('pause')),
  coredns: (image) => importStaticBinary(image, program('coredns')),
  postgres: buildPostgres,
};

/** Builds the images Docker does not have yet. */
export async function buildImages(): Promise<void> {
  for (const [key, image] of Object.entries(IMAGES)) {
    if (await inspectImage(image)) continue;
    await step(SCOPE, `build image ${image}`, () => BUILDERS[key as keyof typeof IMAGES](image));
  }
}

/** Imports each image into the node's containerd unless it already has that exact image. */
export async function importImages(): Promise<void> {
  const target = { address: paths.containerdSocket };
  for (const image of Object.values(IMAGES)) {
    const docker = await inspectImage(image);
    if (docker && (await containerdImageId(image, target)) === docker.id) continue;
    await step(SCOPE, `import ${image} into the node`, () => importImage(image, target));
  }
}
