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
import { containerdImageId, importImage } from '@todo/scripts/lib/containerd-images.ts';
import { inspectImage } from '@todo/scripts/lib/docker.ts';
import { step } from '@todo/scripts/lib/log.ts';
import { $ } from 'zx';
import { IMAGES, paths, SCOPE } from './config.ts';
import { binaryPath, PROGRAMS } from './go-build.ts';

const ENTRYPOINT = join(import.meta.dirname, '..', 'images', 'postgres', 'docker-entrypoint.sh');

/**
 * Each image carries the version of the recipe that built it, as a label: bump a recipe when
 * its builder changes, and an image an older recipe built is rebuilt rather than reused.
 */
const RECIPE_LABEL = 'todo-chatbot.stand-in-recipe';
const RECIPES: Record<keyof typeof IMAGES, string> = {
  pause: '1',
  coredns: '1',
  // 2: STOPSIGNAL SIGINT, as in the official image (a fast shutdown, not waiting on clients).
  postgres: '2',
};
const recipeChange = (key: keyof typeof IMAGES) => `LABEL ${RECIPE_LABEL}=${RECIPES[key]}`;

function program(name: string) {
  const found = PROGRAMS.find((candidate) => candidate.binary === name);
  if (!found) throw new Error(`no Go program ${name}`);
  return binaryPath(found);
}

/** An image holding one static binary at /<name> as its entrypoint. */
async function importStaticBinary(key: 'pause' | 'coredns', binary: string) {
  const image = IMAGES[key];
  const work = await mkdtemp('/var/tmp/cluster-image-');
  try {
    const name = binary.split('/').pop() ?? 'app';
    await $`install -m 0755 ${binary} ${join(work, name)}`;
    const changes = [`ENTRYPOINT ${JSON.stringify([`/${name}`])}`, recipeChange(key)];
    await $({
      quiet: true,
    })`tar -C ${work} -c . | docker import ${changes.flatMap((change) => ['--change', change])} - ${image}`;
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
async function buildPostgres(): Promise<void> {
  const image = IMAGES.postgres;
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
    const rootfsImage = `${image}-rootfs`;
    await $({ quiet: true })`tar -C ${rootfs} -c . | docker import ${changes} - ${rootfsImage}`;
    // `docker import` takes no STOPSIGNAL; a build on top sets it (no new layer) and the label.
    const dockerfile = `FROM ${rootfsImage}\nSTOPSIGNAL SIGINT\n${recipeChange('postgres')}\n`;
    await $({ quiet: true, input: dockerfile })`docker build --quiet --tag ${image} -`;
    await $({ quiet: true })`docker rmi ${rootfsImage}`;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const BUILDERS: Record<keyof typeof IMAGES, () => Promise<void>> = {
  pause: () => importStaticBinary('pause', program('pause')),
  coredns: () => importStaticBinary('coredns', program('coredns')),
  postgres: buildPostgres,
};

/** The recipe label of an image in Docker, undefined when Docker does not have the image. */
async function builtRecipe(image: string): Promise<string | undefined> {
  const format = `{{index .Config.Labels "${RECIPE_LABEL}"}}`;
  const result = await $({
    quiet: true,
    nothrow: true,
  })`docker image inspect --format ${format} ${image}`;
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** Builds the images Docker does not have yet, or has from an older recipe. */
export async function buildImages(): Promise<void> {
  for (const key of Object.keys(IMAGES) as (keyof typeof IMAGES)[]) {
    const built = await builtRecipe(IMAGES[key]);
    if (built === RECIPES[key]) continue;
    const why =
      built === undefined ? '' : ` (recipe ${built || 'unlabelled'} is older than ${RECIPES[key]})`;
    await step(SCOPE, `build image ${IMAGES[key]}${why}`, BUILDERS[key]);
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
