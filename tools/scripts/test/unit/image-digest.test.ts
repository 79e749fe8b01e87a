import { describe, expect, it } from 'vitest';
import { type DigestInputs, imageDigest, imageTag } from '../../lib/image-digest.ts';

const backend: DigestInputs = {
  files: [
    { path: 'Dockerfile', sha256: 'a1' },
    { path: '.dockerignore', sha256: 'a2' },
    { path: 'dist/main.js', sha256: 'a3' },
  ],
  baseImage: 'node:24-bookworm-slim',
  baseImageId: 'sha256:base',
};
const frontend: DigestInputs = {
  ...backend,
  files: [
    { path: 'Dockerfile', sha256: 'b1' },
    { path: '.dockerignore', sha256: 'b2' },
    { path: '.next/standalone/apps/frontend/server.js', sha256: 'b3' },
  ],
};

describe('imageDigest', () => {
  it('is stable: same inputs in any order give the same tag', () => {
    const shuffled = { ...backend, files: [...backend.files].reverse() };
    expect(imageDigest(shuffled)).toBe(imageDigest(backend));
    expect(imageTag(imageDigest(backend))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes the backend tag on a backend build change and leaves the frontend tag alone', () => {
    const frontendTag = imageTag(imageDigest(frontend));
    const changed = {
      ...backend,
      files: backend.files.map((f) => (f.path === 'dist/main.js' ? { ...f, sha256: 'a3-new' } : f)),
    };
    expect(imageTag(imageDigest(changed))).not.toBe(imageTag(imageDigest(backend)));
    expect(imageTag(imageDigest(frontend))).toBe(frontendTag);
  });

  it.each([
    ['an added file', { files: [...backend.files, { path: 'dist/extra.js', sha256: 'x' }] }],
    [
      'a renamed file',
      { files: backend.files.map((f, i) => (i === 2 ? { ...f, path: 'dist/m.js' } : f)) },
    ],
    ['another base image name', { baseImage: 'local/node:24-bookworm-slim' }],
    ['a rebuilt base image under the same name', { baseImageId: 'sha256:other' }],
  ])('changes with %s', (_what, change) => {
    expect(imageDigest({ ...backend, ...change })).not.toBe(imageDigest(backend));
  });

  it('never produces latest', () => {
    expect(imageTag(imageDigest(backend))).not.toBe('latest');
  });
});
