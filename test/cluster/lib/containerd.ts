/**
 * The node's own containerd instance: separate socket, root and state folders from any
 * containerd Docker runs, CRI enabled, cgroupfs (cgroup v1 without systemd), the locally
 * built pause image as the sandbox image, Debian's CNI plugins and the registry hosts
 * folder through which it pulls from the cluster's registry.
 */
import { join } from 'node:path';
import { qualifiedImageName } from '@todo/scripts/lib/containerd-images.ts';
import { $ } from 'zx';
import { IMAGES, POD_CIDR, paths } from './config.ts';
import { writeIfChanged } from './files.ts';

/** Bridge the pods attach to; a name of its own so it cannot clash with another CNI. */
export const BRIDGE = 'todo-cni0';
export const CNI_NETWORK = 'todo-chatbot';

export function containerdConfigPath(): string {
  return join(paths.configs, 'containerd.toml');
}

/** containerd 1.6/1.7 configuration (schema version 2). */
export function containerdConfig(): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${paths.containerdRoot}"
state = "${paths.containerdState}"

[grpc]
  address = "${paths.containerdSocket}"

[plugins."io.containerd.internal.v1.opt"]
  path = "${join(paths.containerdRoot, 'opt')}"

[${cri}]
  sandbox_image = "${qualifiedImageName(IMAGES.pause)}"
  stream_server_address = "127.0.0.1"
  # kubelet asks for negative OOM scores (-998 for sandboxes); lowering a score needs
  # CAP_SYS_RESOURCE, which sandboxed CI machines (this one) drop. Clamp instead of fail.
  restrict_oom_score_adj = true

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false

[${cri}.cni]
  bin_dir = "${paths.cniBinDir}"
  conf_dir = "${paths.cniConfDir}"

# One folder per registry host with a hosts.toml, read on each pull: the cluster's own
# registry is reached over plain HTTP (see registry.ts).
[${cri}.registry]
  config_path = "${paths.containerdHosts}"
`;
}

/** The pod network: one bridge, host-local addresses, NAT to the outside, hostPorts. */
export function cniConfig(): object {
  return {
    cniVersion: '0.4.0',
    name: CNI_NETWORK,
    plugins: [
      {
        type: 'bridge',
        bridge: BRIDGE,
        isGateway: true,
        ipMasq: true,
        // A pod reaching itself through its own Service goes out and back the bridge port.
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: POD_CIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: paths.cniData,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

export async function writeContainerdConfigs(): Promise<void> {
  await $`mkdir -p ${paths.cniConfDir} ${paths.cniData} ${paths.containerdRoot}`;
  await writeIfChanged(containerdConfigPath(), containerdConfig());
  await writeIfChanged(
    join(paths.cniConfDir, '10-todo-chatbot.conflist'),
    `${JSON.stringify(cniConfig(), null, 2)}\n`,
  );
}

/** `ctr` against the node's containerd, in the namespace the CRI plugin uses. */
export function ctr(args: string[]) {
  return $({ quiet: true })`ctr --address ${paths.containerdSocket} --namespace k8s.io ${args}`;
}
