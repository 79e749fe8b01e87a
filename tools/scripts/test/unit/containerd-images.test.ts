import { describe, expect, it } from 'vitest';
import { qualifiedImageName } from '../../lib/containerd-images.ts';

describe('qualifiedImageName', () => {
  it.each([
    ['local/pause:3.10', 'docker.io/local/pause:3.10'],
    ['postgres:16', 'docker.io/library/postgres:16'],
    ['postgres', 'docker.io/library/postgres:latest'],
    ['registry.example:5000/team/app:1', 'registry.example:5000/team/app:1'],
    ['localhost/app', 'localhost/app:latest'],
    ['ghcr.io/org/app@sha256:abc', 'ghcr.io/org/app@sha256:abc'],
  ])('%s is %s in containerd', (name, qualified) => {
    expect(qualifiedImageName(name)).toBe(qualified);
  });
});
