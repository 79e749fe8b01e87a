import { describe, expect, it } from 'vitest';
import { isInternal, trustedProxies } from '../../src/http/trusted-proxies.ts';

describe('trusted proxies', () => {
  it('knows internal addresses, IPv4 (also as IPv6-mapped) and IPv6', () => {
    for (const address of [
      '127.0.0.1',
      '10.244.0.31',
      '172.17.0.2',
      '192.168.49.2',
      '100.64.3.4',
      '::ffff:10.0.0.1',
      '::1',
      'fd00:10:244::5',
      'fe80::1',
    ])
      expect(isInternal(address), address).toBe(true);
    for (const address of ['198.51.100.1', '8.8.8.8', '::ffff:203.0.113.7', '2001:db8::1', ''])
      expect(isInternal(address), address).toBe(false);
  });

  it('trusts up to the hop count, and never a peer on a public address', () => {
    expect(trustedProxies(0)).toBe(false);
    const trust = trustedProxies(1);
    if (!trust) throw new Error('expected a trust function');
    expect(trust('10.244.0.7', 0)).toBe(true);
    expect(trust('10.244.0.8', 1)).toBe(false);
    expect(trust('198.51.100.1', 0)).toBe(false);
  });
});
