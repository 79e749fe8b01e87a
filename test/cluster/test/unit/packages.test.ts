import { describe, expect, it } from 'vitest';
import { missingPackages } from '../../lib/packages.ts';

describe('missingPackages', () => {
  it('lists required packages dpkg does not report as installed', () => {
    const dpkg = ['containerd ii ', 'runc rc ', 'iptables ii '].join('\n');
    expect(missingPackages(dpkg, ['containerd', 'runc', 'iptables', 'conntrack'])).toEqual([
      'runc',
      'conntrack',
    ]);
  });

  it('treats empty dpkg output as nothing installed', () => {
    expect(missingPackages('', ['containerd'])).toEqual(['containerd']);
  });
});
