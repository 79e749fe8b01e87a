import { describe, expect, it } from 'vitest';
import { buildStamp, needsBuild } from '../../lib/go-build.ts';

describe('buildStamp', () => {
  const sources = { 'go.mod': 'module x', 'main.go': 'package main' };

  it('does not depend on the order files were read in', () => {
    const reversed = { 'main.go': 'package main', 'go.mod': 'module x' };
    expect(buildStamp(reversed, 'go1.26', '-s')).toBe(buildStamp(sources, 'go1.26', '-s'));
  });

  it('changes with the sources, the toolchain and the link flags', () => {
    const base = buildStamp(sources, 'go1.26', '-s');
    expect(buildStamp({ ...sources, 'main.go': 'package main // x' }, 'go1.26', '-s')).not.toBe(
      base,
    );
    expect(buildStamp(sources, 'go1.27', '-s')).not.toBe(base);
    expect(buildStamp(sources, 'go1.26', '-s -w')).not.toBe(base);
  });
});

describe('needsBuild', () => {
  it('reuses a binary built from the same inputs', () => {
    expect(needsBuild(true, 'abc', 'abc')).toBe(false);
  });

  it('builds when the binary is missing or its stamp differs', () => {
    expect(needsBuild(false, 'abc', 'abc')).toBe(true);
    expect(needsBuild(true, undefined, 'abc')).toBe(true);
    expect(needsBuild(true, 'old', 'abc')).toBe(true);
  });
});
