import { describe, expect, it } from 'vitest';
import { mb } from '../../lib/log.ts';

describe('sizes in messages', () => {
  it('counts decimal megabytes, and kilobytes for a push of a few files', () => {
    expect([mb(0), mb(31_400), mb(99_949), mb(100_000), mb(19_700_000)]).toEqual([
      '0.0 kB',
      '31.4 kB',
      '99.9 kB',
      '0.1 MB',
      '19.7 MB',
    ]);
  });
});
