/**
 * The host side of the node: the node's name and address, and the kernel settings pod
 * networking and kube-proxy rely on.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { $ } from 'zx';
import type { Node } from './certs.ts';

export function assertRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the test cluster runs containerd, kubelet and iptables rules on this host: run as root (sudo -E npx nx run e2e:cluster-up)',
    );
  }
}

/**
 * The node is named after the host and addressed by the host's default-route IPv4
 * address: pods reach the API server there (the `kubernetes` Service's endpoint), which a
 * loopback address could not do from inside a pod's network namespace.
 */
export async function nodeIdentity(): Promise<Node> {
  const routes = JSON.parse((await $({ quiet: true })`ip -j -4 route show default`).stdout);
  const device: string | undefined = routes[0]?.dev;
  if (!device) throw new Error('no IPv4 default route: the node needs an address pods can reach');
  const links = JSON.parse((await $({ quiet: true })`ip -j -4 addr show dev ${device}`).stdout);
  const ip: string | undefined = links[0]?.addr_info?.[0]?.local;
  if (!ip) throw new Error(`no IPv4 address on ${device}`);
  return { name: hostname().toLowerCase(), ip };
}

/** /proc/sys settings: forwarding for pod traffic, bridge traffic through iptables. */
export const SYSCTLS: Record<string, string> = {
  'net/ipv4/ip_forward': '1',
  // Pod -> Service -> pod on the same bridge must pass kube-proxy's DNAT rules.
  'net/bridge/bridge-nf-call-iptables': '1',
};

export async function prepareKernel(): Promise<void> {
  if (!existsSync('/proc/sys/net/bridge')) {
    // br_netfilter is a module on most kernels (built in on some VMs).
    const loaded = await $({ nothrow: true, quiet: true })`modprobe br_netfilter`;
    if (loaded.exitCode !== 0 || !existsSync('/proc/sys/net/bridge')) {
      throw new Error('kernel module br_netfilter is not available: `modprobe br_netfilter`');
    }
  }
  for (const [key, value] of Object.entries(SYSCTLS)) await writeFile(`/proc/sys/${key}`, value);
  // Docker sets the FORWARD policy to DROP when it manages iptables; pod traffic to the
  // outside and between the bridge and the host needs it accepted.
  await $({ quiet: true })`iptables -P FORWARD ACCEPT`;
}
