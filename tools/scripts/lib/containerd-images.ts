/**
 * Loads images from the local Docker engine into a containerd node, the way `kind load`
 * does and the way images reach any containerd-based node (k3s, kubeadm, this test
 * cluster): `docker save IMAGE | ctr -n k8s.io images import -`. No registry involved.
 *
 * The deploy pipeline's containerd provider and the project's test cluster both use it.
 */
import { exec, shell } from './shell.ts';

/** How containerd names an image Docker calls `name`: `local/x:1` is `docker.io/local/x:1`. */
export function qualifiedImageName(name: string): string {
  const first = name.split('/')[0] ?? '';
  const hasRegistry = name.includes('/') && /[.:]|^localhost$/.test(first);
  const withRegistry = hasRegistry
    ? name
    : `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  // A reference without tag or digest means :latest, as in Docker.
  const lastPart = withRegistry.split('/').pop() ?? '';
  return lastPart.includes(':') || lastPart.includes('@') ? withRegistry : `${withRegistry}:latest`;
}

export type ContainerdTarget = {
  /** containerd's socket; undefined means ctr's default (/run/containerd/containerd.sock). */
  address?: string;
  /** containerd namespace; Kubernetes' CRI plugin uses k8s.io. */
  namespace?: string;
};

function ctrArgs(target: ContainerdTarget): string[] {
  const args = ['--namespace', target.namespace ?? 'k8s.io'];
  if (target.address) args.unshift('--address', target.address);
  return args;
}

/** Streams a Docker image into containerd, tagged with the name Kubernetes resolves. */
export async function importImage(image: string, target: ContainerdTarget = {}): Promise<void> {
  const $ = await shell();
  await $`docker save ${image} | ctr ${ctrArgs(target)} images import -`.quiet();
}

/**
 * The config digest of an image in containerd, which equals Docker's image id for an
 * imported image, or undefined when containerd does not have the image.
 */
export async function containerdImageId(
  image: string,
  target: ContainerdTarget = {},
): Promise<string | undefined> {
  const ref = qualifiedImageName(image);
  // Columns: REF TYPE DIGEST SIZE PLATFORMS LABELS; DIGEST is the manifest's.
  const listed = await exec('ctr', [...ctrArgs(target), 'images', 'ls', `name==${ref}`]);
  const manifestDigest = listed.stdout.split('\n')[1]?.split(/\s+/)[2];
  if (listed.exitCode !== 0 || !manifestDigest) return undefined;
  const manifest = await exec('ctr', [...ctrArgs(target), 'content', 'get', manifestDigest]);
  if (manifest.exitCode !== 0) return undefined;
  return JSON.parse(manifest.stdout).config?.digest;
}
