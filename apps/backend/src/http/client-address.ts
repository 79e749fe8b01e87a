/**
 * What the rate limits count a client as. `request.ip` is already the vouched client address
 * (trusted-proxies.ts); these decide how addresses group and which are not limited.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Pure: an IPv4-mapped IPv6 address as IPv4; any other address as it is, without a zone. */
function plain(ip: string): string {
  const address = ip.split('%')[0] ?? ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ?? address;
}

/** Pure: the eight groups of an IPv6 address, as numbers. */
function groups(ip: string): number[] {
  const [head = '', tail] = ip.split('::');
  const part = (text: string) =>
    text === ''
      ? []
      : text.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [a * 256 + b, c * 256 + d];
        });
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Pure: the key an address is counted under. An IPv6 client owns at least a /64 (a home or a
 * phone gets a whole prefix, and picks any address in it), so it counts as that prefix.
 */
export function addressKey(ip: string): string {
  const address = plain(ip);
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address.toLowerCase();
  return `${groups(address)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/**
 * Pure: a client on this host or in this pod: `kubectl port-forward` (which needs the right to
 * reach into the pod, an operator's), the smoke test through it, or a local frontend in
 * development. Sign-up and address-wide login limits leave it alone; the per-email limit
 * does not.
 */
export function isLoopback(ip: string): boolean {
  const address = plain(ip);
  if (isIPv4(address)) return loopback.check(address, 'ipv4');
  return isIPv6(address) && loopback.check(address, 'ipv6');
}
