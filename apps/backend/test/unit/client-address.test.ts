import { describe, expect, it } from 'vitest';
import { addressKey, isLoopback } from '../../src/http/client-address.ts';

describe('addressKey', () => {
  it('counts an IPv4 client as its address, also when it arrives IPv6-mapped', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('::FFFF:198.51.100.7')).toBe('198.51.100.7');
  });

  it('counts an IPv6 client as its /64, however the address is written', () => {
    const key = addressKey('2001:db8:0:1::1');
    expect(key).toBe('2001:db8:0:1::/64');
    for (const same of [
      '2001:db8:0:1::2',
      '2001:0db8:0000:0001:ffff:ffff:ffff:ffff',
      '2001:DB8:0:1:0:0:0:9',
      '2001:db8:0:1::1%eth0',
      '2001:db8:0:1::192.0.2.1',
    ])
      expect(addressKey(same), same).toBe(key);
    for (const other of ['2001:db8:0:2::1', '2001:db8::1', '::1'])
      expect(addressKey(other), other).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('isLoopback', () => {
  it('is this host or pod: 127.0.0.0/8 and ::1, IPv6-mapped too', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(address), address).toBe(true);
    for (const address of [
      '10.244.0.3',
      '198.51.100.7',
      '::ffff:10.0.0.1',
      '2001:db8::1',
      '::',
      '',
    ])
      expect(isLoopback(address), address).toBe(false);
  });
});
