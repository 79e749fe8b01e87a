/**
 * Which X-Forwarded-For entries the server believes (Fastify's `trustProxy`): up to
 * TRUST_PROXY_HOPS proxies back from the connection, each on an internal network as the
 * cluster's own proxies are (the frontend, an ingress controller). Fastify refuses a bare hop
 * count, since it cannot tell a proxy from a client sending the header itself; here a peer on
 * a public address is always the client.
 */
import { BlockList, isIPv6 } from 'node:net';

const internal = new BlockList();
for (const [network, prefix] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
  // Shared address space: some CNIs and VPNs number pods and nodes from it.
  ['100.64.0.0', 10],
] as const)
  internal.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  internal.addSubnet(network, prefix, 'ipv6');

/** Pure: whether an address is loopback, private, link-local or shared (IPv4 or IPv6). */
export function isInternal(address: string): boolean {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  try {
    return internal.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

/** Fastify's `trustProxy` for this many hops: false (the peer is the client) for 0. */
export function trustedProxies(hops: number): false | ((address: string, hop: number) => boolean) {
  if (hops === 0) return false;
  return (address, hop) => hop < hops && isInternal(address);
}
