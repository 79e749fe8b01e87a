import { describe, expect, it } from 'vitest';
import { readTrustedHops, vouchedClient } from '../../src/lib/server/client-address';

describe('vouchedClient', () => {
  it('with no proxy trusted, is the peer whatever the header says', () => {
    expect(vouchedClient(undefined, '10.0.0.5', 0)).toBe('10.0.0.5');
    expect(vouchedClient('203.0.113.7', '10.0.0.5', 0)).toBe('10.0.0.5');
  });

  it('behind proxies, is what the furthest trusted one appended', () => {
    expect(vouchedClient('203.0.113.7, 198.51.100.1', '10.0.0.9', 1)).toBe('198.51.100.1');
    expect(vouchedClient('203.0.113.7, 198.51.100.1, 10.0.0.8', '10.0.0.9', 2)).toBe(
      '198.51.100.1',
    );
    // Repeated headers are one list, in order.
    expect(vouchedClient(['203.0.113.7', '198.51.100.1'], '10.0.0.9', 1)).toBe('198.51.100.1');
  });

  it('is the furthest address known when the chain is shorter than the trust', () => {
    expect(vouchedClient(undefined, '10.0.0.9', 1)).toBe('10.0.0.9');
    expect(vouchedClient(' , ', '10.0.0.9', 2)).toBe('10.0.0.9');
    expect(vouchedClient('198.51.100.1', '10.0.0.9', 3)).toBe('198.51.100.1');
  });

  it('writes an IPv4 peer of a dual-stack socket as IPv4, and leaves IPv6 alone', () => {
    expect(vouchedClient(undefined, '::ffff:127.0.0.2', 0)).toBe('127.0.0.2');
    expect(vouchedClient(undefined, '2001:db8::1', 0)).toBe('2001:db8::1');
  });
});

describe('readTrustedHops', () => {
  it('is 0 unless set, and a whole number up to 10', () => {
    expect(readTrustedHops({})).toBe(0);
    expect(readTrustedHops({ TRUST_PROXY_HOPS: ' ' })).toBe(0);
    expect(readTrustedHops({ TRUST_PROXY_HOPS: '2' })).toBe(2);
    for (const bad of ['-1', '1.5', 'one', '11'])
      expect(() => readTrustedHops({ TRUST_PROXY_HOPS: bad })).toThrow(
        /TRUST_PROXY_HOPS must be a whole number from 0 to 10.*got: /,
      );
  });
});
