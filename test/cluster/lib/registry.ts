/**
 * The cluster's image registry: CNCF Distribution (the server of the registry:2 image) on
 * the host's loopback, storing on the filesystem under the state folder. Docker on the
 * host pushes to it, the node's containerd pulls from it (a hosts.toml says plain HTTP),
 * and the KEP-1755 ConfigMap advertises it to tools that look for a local registry.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { binDir, paths, REGISTRY_HOST, REGISTRY_PORT } from './config.ts';
import { digestFiles } from './digest.ts';
import { writeIfChanged } from './files.ts';
import { type Component, logFile, startComponent, stopComponent } from './processes.ts';
import { registryServing, waitFor } from './wait.ts';

export function registryConfigPath(): string {
  return join(paths.configs, 'registry.yaml');
}

/** Distribution's configuration: plain HTTP on loopback, no auth, every request logged. */
export function registryConfig(): object {
  return {
    version: '0.1',
    log: {
      level: 'info',
      // One Apache combined-format line per request on stdout (the component log): tests
      // tell from it which blobs a push really uploaded.
      accesslog: { disabled: false },
    },
    storage: {
      filesystem: { rootdirectory: paths.registryData },
      delete: { enabled: true },
      // Uploads abandoned for a week would be purged daily; a test cluster does not live
      // that long, so the purger would only add log lines.
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: `127.0.0.1:${REGISTRY_PORT}`,
      // Signs the upload state handed to clients. Without one the registry generates a
      // random secret and warns; a constant is enough for a registry only this host reaches.
      secret: 'todo-chatbot-test-cluster',
    },
    // Off, as by default (the stock configs turn it on): a local folder needs no polling,
    // and a failed check would answer every request with 503.
    health: { storagedriver: { enabled: false } },
  };
}

/**
 * containerd's hosts.toml for the registry (kind's local-registry recipe): pull and
 * resolve over plain HTTP, where containerd would otherwise insist on HTTPS.
 */
export function registryHostsToml(): string {
  const url = `http://${REGISTRY_HOST}`;
  return `server = "${url}"

[host."${url}"]
  capabilities = ["pull", "resolve"]
`;
}

/**
 * KEP-1755 "Communicating a local registry": tools (Tilt, Skaffold, the deploy pipeline)
 * read this ConfigMap to learn where to push images the cluster can pull. There is no
 * hostFromClusterNetwork: pods cannot reach the host's loopback.
 */
export function localRegistryHosting(): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
    data: {
      'localRegistryHosting.v1': stringify({
        host: REGISTRY_HOST,
        hostFromContainerRuntime: REGISTRY_HOST,
        help: `docker push ${REGISTRY_HOST}/<name>:<tag> on the cluster's host; see test/README.md of the todo-chatbot repository`,
      }),
    },
  };
}

/**
 * The component runs the `registry` binary through a link of its own name. A pid counts
 * as a component's while its process runs a program of the component's file name
 * (processes.ts); with the generic `registry`, a recycled pid now running another
 * Distribution server (a registry:2 container, a test's own instance) would pass for ours.
 */
const COMMAND = 'todo-chatbot-registry';

export async function linkRegistryCommand(): Promise<void> {
  if (!existsSync(join(binDir, COMMAND))) await symlink('registry', join(binDir, COMMAND));
}

export function registryComponent(): Component {
  return {
    name: 'registry',
    command: join(binDir, COMMAND),
    args: ['serve', registryConfigPath()],
  };
}

/** What the registry reads at start beyond its arguments: its config and its binary. */
export function registryInputs(): Promise<string> {
  return digestFiles([registryConfigPath(), join(binDir, 'registry.stamp')]);
}

export async function writeRegistryConfigs(): Promise<void> {
  await writeIfChanged(registryConfigPath(), stringify(registryConfig()));
  const hostsDir = join(paths.containerdHosts, REGISTRY_HOST);
  await mkdir(hostsDir, { recursive: true });
  await writeIfChanged(join(hostsDir, 'hosts.toml'), registryHostsToml());
}

/** The registry's log: startup messages and one access-log line per request. */
export function registryLog(): string {
  return logFile('registry');
}

export type UploadedBlob = { repository: string; digest: string };

/**
 * Blobs whose upload completed, in log order, from the registry's access log: the final
 * `PUT /v2/<repository>/blobs/uploads/<id>?...&digest=<digest>` answered 201. Blobs the
 * client skipped (already there) or mounted from another repository are not uploads.
 */
export function uploadedBlobs(log: string): UploadedBlob[] {
  const request = /"PUT \/v2\/(.+?)\/blobs\/uploads\/[^?\s]*\?(\S*) HTTP\/[\d.]+" 201 /;
  const blobs: UploadedBlob[] = [];
  for (const line of log.split('\n')) {
    const [, repository, query] = request.exec(line) ?? [];
    const digest = new URLSearchParams(query).get('digest');
    if (repository && digest) blobs.push({ repository, digest });
  }
  return blobs;
}

/**
 * Blob digests the registry's storage holds: all of them, or those linked into one repository
 * (what a HEAD there finds; a blob held only elsewhere needs a mount, not an upload).
 */
export async function storedBlobs(repository?: string): Promise<Set<string>> {
  const v2 = join(paths.registryData, 'docker', 'registry', 'v2');
  const dir = repository
    ? join(v2, 'repositories', repository, '_layers', 'sha256')
    : join(v2, 'blobs', 'sha256');
  // Blobs sit in two-character folders (blobs/sha256/ab/abcd...); repository links do not.
  const names = repository
    ? await readdir(dir).catch(() => [])
    : (await readdir(dir, { recursive: true }).catch(() => [])).filter((name) =>
        /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(name),
      );
  return new Set(names.map((name) => `sha256:${name.split('/').pop()}`));
}

/**
 * Restarts the registry the way cluster-up starts it and waits until it serves; `wipe`
 * first deletes everything pushed to it, for tests that need an empty registry.
 */
export async function restartRegistry({ wipe }: { wipe: boolean }): Promise<void> {
  const component = { ...registryComponent(), inputs: await registryInputs() };
  await stopComponent(component);
  if (wipe) await rm(paths.registryData, { recursive: true, force: true });
  await startComponent(component);
  await waitFor(component, 'registry to be ready', registryServing);
}
