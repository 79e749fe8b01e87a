/**
 * `docker push` of a content-tagged image, so the Docker CLI's own credentials, proxies and
 * layer cache apply: only the layers the registry lacks travel. What was sent is read back
 * from the push's per-layer lines and the registry's manifest (compressed sizes).
 */
import { shell } from '../shell.ts';
import type { Manifest, RegistryClient } from './client.ts';
import { RegistryError } from './client.ts';

export type PushSummary = {
  /** Layers the registry received in this push. */
  layersPushed: number;
  layersTotal: number;
  /** Compressed bytes of the pushed layers and of the image config. */
  bytesSent: number;
};

/**
 * Pure: what a push sent, from its output (`<short id>: Pushed` or `Layer already exists`),
 * the image's layer diff ids in order, and the manifest, whose layers are in the same order.
 */
export function pushSummary(output: string, diffIds: string[], manifest: Manifest): PushSummary {
  const pushed = new Set(
    [...output.matchAll(/^([0-9a-f]{12}): Pushed\s*$/gm)].map((match) => match[1]),
  );
  const layers = manifest.layers ?? [];
  const short = (digest: string | undefined) => (digest ?? '').replace(/^sha256:/, '').slice(0, 12);
  let bytesSent = 0;
  let layersPushed = 0;
  // The classic image store names a layer by its diff id; the containerd store by its blob.
  diffIds.forEach((diffId, index) => {
    if (pushed.has(short(diffId)) || pushed.has(short(layers[index]?.digest))) {
      layersPushed += 1;
      bytesSent += layers[index]?.size ?? 0;
    }
  });
  // The config blob travels with every new manifest; it is a few kilobytes.
  if (layersPushed > 0) bytesSent += manifest.config?.size ?? 0;
  return { layersPushed, layersTotal: layers.length, bytesSent };
}

/** Pure: one line naming the registry and the fix, from `docker push`'s error output. */
export function pushFailure(host: string, remote: string, stderr: string): string {
  const last = stderr.trim().split('\n').pop() ?? '';
  if (/Cannot connect to the Docker daemon|docker daemon socket/i.test(stderr)) {
    return `Docker daemon not reachable while pushing ${remote} (${last}): start it and retry`;
  }
  if (
    /unauthorized|authentication required|access to the resource is denied|denied:|forbidden/i.test(
      stderr,
    )
  ) {
    return `registry ${host} refused the push of ${remote} (${last}): run \`docker login ${host}\` with an account that may push there, or set DEPLOY_REGISTRY to a registry you can use`;
  }
  if (/HTTP response to HTTPS client/i.test(stderr)) {
    return `registry ${host} serves plain HTTP and Docker insists on HTTPS for it: serve it over TLS, or add it to "insecure-registries" in Docker's daemon.json`;
  }
  if (/connection refused|no such host|dial tcp|i\/o timeout|TLS handshake|EOF/i.test(stderr)) {
    return `registry ${host} is not reachable from Docker (${last}): start it or fix its name, or set DEPLOY_REGISTRY=off to side-load images instead`;
  }
  return `docker push ${remote} failed: ${last}`;
}

/** Pure: the lines of `docker push` worth showing while it runs: each layer's outcome. */
export function pushProgress(line: string): string | undefined {
  return /^[0-9a-f]{12}: (Pushed|Layer already exists|Mounted from .+)\s*$/.test(line)
    ? line.trim()
    : undefined;
}

/** Pushes the image; `progress` receives each layer's outcome as it happens (a slow link shows). */
export async function pushImage(
  local: string,
  remote: { host: string; ref: string; repository: string; tag: string },
  client: RegistryClient,
  progress: (line: string) => void,
): Promise<PushSummary & { digest: string }> {
  const $ = await shell();
  await $({ quiet: true })`docker tag ${local} ${remote.ref}`;
  const running = $({ quiet: true, nothrow: true })`docker push ${remote.ref}`;
  for await (const line of running) {
    const shown = pushProgress(line);
    if (shown) progress(shown);
  }
  const push = await running;
  if (push.exitCode !== 0)
    throw new RegistryError(pushFailure(remote.host, remote.ref, push.stderr));
  const format = '{{json .RootFS.Layers}}';
  const [inspected, manifest, digest] = await Promise.all([
    $({ quiet: true })`docker image inspect --format ${format} ${local}`,
    client.manifest(remote.repository, remote.tag),
    client.manifestDigest(remote.repository, remote.tag),
  ]);
  if (!digest) {
    throw new RegistryError(
      `registry ${remote.host} does not list ${remote.ref} right after a successful push: check that DEPLOY_REGISTRY names the registry Docker pushes to`,
    );
  }
  const diffIds = JSON.parse(inspected.stdout) as string[];
  return { ...pushSummary(push.stdout, diffIds, manifest), digest };
}
