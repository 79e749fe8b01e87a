/**
 * The client address this server vouches for, in X-Forwarded-For: what the backend keys its
 * login limits on. Next.js sets that header only when a request has none (`??=`), so a client
 * that sends its own is believed, and one that does not is known only by this server's peer.
 * Here the header is rewritten as each request arrives, before Next.js sees it (Node's
 * `http.server.request.start` channel is published before the request event): to the
 * connection's peer, or, behind `trustedHops` proxies of our own (an ingress), to the address
 * the nearest of them appended. Whatever the client wrote further left is dropped.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

export class TrustedHopsError extends Error {}

/** TRUST_PROXY_HOPS: the proxies in front of this server that append to X-Forwarded-For. */
export function readTrustedHops(env: Record<string, string | undefined>): number {
  const raw = env.TRUST_PROXY_HOPS?.trim() || '0';
  const hops = Number(raw);
  if (!/^\d+$/.test(raw) || hops > 10) {
    throw new TrustedHopsError(
      `TRUST_PROXY_HOPS must be a whole number from 0 to 10 (the proxies in front of the frontend, 1 behind an ingress), got: ${raw}`,
    );
  }
  return hops;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** Pure: the client address, counting `trustedHops` proxies back from the peer. */
export function vouchedClient(
  forwardedFor: string | string[] | undefined,
  peer: string,
  trustedHops: number,
): string {
  const appended = [forwardedFor ?? []]
    .flat()
    .join(',')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Nearest first: the peer, then what each proxy before it appended.
  const nearestFirst = [peer, ...appended.reverse()];
  return plain(nearestFirst[Math.min(trustedHops, nearestFirst.length - 1)] ?? peer);
}

let installed = false;

/** Rewrites X-Forwarded-For on every request this process serves from now on. */
export function vouchForClients(trustedHops: number): void {
  if (installed) return;
  installed = true;
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    request.headers['x-forwarded-for'] = vouchedClient(
      request.headers['x-forwarded-for'],
      request.socket.remoteAddress ?? '',
      trustedHops,
    );
  });
}
