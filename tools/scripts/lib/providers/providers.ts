/**
 * Thin shells around each cluster's own way of loading an image onto its node, and a cheap
 * check of whether the node already has it. Everything is the CLI the user already has
 * (minikube, kind, k3d, docker, ctr), so their contexts, profiles and sudo rules apply.
 */

import { containerdImageId, importImage, qualifiedImageName } from '../containerd-images.ts';
import { inspectImage } from '../docker.ts';
import { shell } from '../shell.ts';
import type { Detection, ProviderName } from './detect.ts';

export type Provider = {
  name: ProviderName;
  /** Whether every node of the cluster has the image under this exact reference. */
  hasImage: (ref: string) => Promise<boolean>;
  /** Puts the image from the local Docker daemon onto the node(s). */
  load: (ref: string) => Promise<void>;
  /** The node runs on the Docker daemon that builds the images: nothing ever has to move. */
  sharesDaemon: boolean;
};

export type ProviderOptions = {
  detection: Detection;
  containerdAddress: string;
  /** Node names from the cluster (kind and k3d nodes are Docker containers of those names). */
  nodeNames: string[];
};

const quiet = { quiet: true, nothrow: true } as const;

async function inLocalDaemon(ref: string): Promise<boolean> {
  return (await inspectImage(ref)) !== undefined;
}

/** Asks the containerd inside each node container (kind, k3d) through `docker exec`. */
async function onNodeContainers(nodes: string[], ref: string): Promise<boolean> {
  if (nodes.length === 0) return false;
  const name = qualifiedImageName(ref);
  const $ = await shell();
  for (const node of nodes) {
    const result = await $(quiet)`docker exec ${node} ctr -n k8s.io images ls -q name==${name}`;
    if (result.exitCode !== 0 || result.stdout.trim() !== name) return false;
  }
  return true;
}

export function createProvider(options: ProviderOptions): Provider {
  const { detection, nodeNames } = options;
  const cluster = detection.cluster;
  switch (detection.provider) {
    case 'minikube': {
      const profile = cluster ?? 'minikube';
      // `eval $(minikube docker-env)` points docker at the node's own daemon: builds land there.
      if (process.env.MINIKUBE_ACTIVE_DOCKERD) {
        return {
          name: 'minikube',
          hasImage: inLocalDaemon,
          load: async () => {},
          sharesDaemon: true,
        };
      }
      return {
        name: 'minikube',
        hasImage: async (ref) => {
          const $ = await shell();
          const listed = await $(quiet)`minikube -p ${profile} image ls --format short`;
          const names = listed.stdout.split('\n').map((line) => line.trim());
          return names.includes(qualifiedImageName(ref)) || names.includes(ref);
        },
        load: async (ref) => {
          const $ = await shell();
          await $`minikube -p ${profile} image load ${ref}`;
        },
        sharesDaemon: false,
      };
    }
    case 'kind':
      return {
        name: 'kind',
        hasImage: (ref) => onNodeContainers(nodeNames, ref),
        load: async (ref) => {
          const $ = await shell();
          await $`kind load docker-image ${ref} --name ${cluster ?? 'kind'}`;
        },
        sharesDaemon: false,
      };
    case 'k3d':
      return {
        name: 'k3d',
        hasImage: (ref) => onNodeContainers(nodeNames, ref),
        load: async (ref) => {
          const $ = await shell();
          await $`k3d image import ${ref} --cluster ${cluster ?? 'k3s-default'}`;
        },
        sharesDaemon: false,
      };
    case 'docker-desktop':
      // The cluster runs on the same daemon that built the image: nothing to move.
      return {
        name: 'docker-desktop',
        hasImage: inLocalDaemon,
        load: async () => {},
        sharesDaemon: true,
      };
    case 'containerd': {
      const target = { address: options.containerdAddress };
      return {
        name: 'containerd',
        // The exact image: containerd's config digest of it equals Docker's image id.
        hasImage: async (ref) => {
          const [local, onNode] = await Promise.all([
            inspectImage(ref),
            containerdImageId(ref, target),
          ]);
          return onNode !== undefined && (!local || local.id === onNode);
        },
        // The same import `kind load` performs inside its node, run against this node's socket.
        load: (ref) => importImage(ref, target),
        sharesDaemon: false,
      };
    }
  }
}
