import { describe, expect, it } from 'vitest';
import { publicSourceUrl } from '../../lib/source-url.ts';

describe('publicSourceUrl', () => {
  it.each([
    [
      'https://x-access-token:ghs_abc123@github.com/org/repo.git',
      'https://github.com/org/repo.git',
    ],
    [
      'https://gitlab-ci-token:glpat-xyz@gitlab.example/org/repo',
      'https://gitlab.example/org/repo',
    ],
    ['https://ghp_onlyatoken@github.com/org/repo', 'https://github.com/org/repo'],
    ['https://github.com/org/repo.git?token=abc#frag', 'https://github.com/org/repo.git'],
    ['ssh://git:secret@host.example:2222/org/repo.git', 'ssh://host.example:2222/org/repo.git'],
    ['  https://github.com/org/repo.git\n', 'https://github.com/org/repo.git'],
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
    ['unknown', 'unknown'],
    ['', 'unknown'],
  ])('%j -> %j', (remote, label) => {
    expect(publicSourceUrl(remote)).toBe(label);
  });
});
