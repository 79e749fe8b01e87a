import { describe, expect, it } from 'vitest';
import { jwtSecretFor, kubeconfigText } from '../../lib/ci-deploy-env.ts';
import { checkBase, checkCommand } from '../../lib/ci-range.ts';

describe('the base of the CI check', () => {
  it.each([
    [{}, 'main', 'main', 'given with --base'],
    [
      { GITHUB_BASE_REF: 'main' },
      undefined,
      'origin/main',
      "the pull request's target branch (main)",
    ],
    [
      { CI_MERGE_REQUEST_DIFF_BASE_SHA: 'abc123' },
      undefined,
      'abc123',
      "the merge request's base commit",
    ],
    [{ CI_COMMIT_BEFORE_SHA: 'def456' }, undefined, 'def456', 'the commit before this push'],
    [{ CI_COMMIT_BEFORE_SHA: '0'.repeat(40) }, undefined, 'HEAD~1', 'the previous commit'],
    [{}, undefined, 'HEAD~1', 'the previous commit'],
  ])('from %j and --base %s: %s', (env, explicit, base, why) => {
    expect(checkBase(env, explicit)).toEqual({ base, why });
  });

  it('checks what changed since a base the checkout has', () => {
    expect(checkCommand({ base: 'origin/main', why: 'w' }, true, ['lint', 'test'])).toEqual({
      args: ['nx', 'affected', '-t', 'lint', 'test', '--base=origin/main', '--head=HEAD'],
      line: 'checking lint,test of what changed since origin/main (w)',
    });
  });

  it('checks everything, saying why, when the base is not in the checkout', () => {
    const { args, line } = checkCommand({ base: 'origin/main', why: 'w' }, false, ['lint']);
    expect(args).toEqual(['nx', 'run-many', '-t', 'lint']);
    expect(line).toBe(
      'origin/main (w) is not in this checkout (a shallow clone: fetch with full history, e.g. fetch-depth: 0): checking lint of every project',
    );
  });
});

describe('the CI deploy environment', () => {
  const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters: []\n';

  it('takes a kubeconfig stored as itself or in base64', () => {
    expect(kubeconfigText(kubeconfig)).toBe(kubeconfig);
    expect(kubeconfigText(Buffer.from(kubeconfig).toString('base64'))).toBe(kubeconfig);
    expect(() => kubeconfigText('not a kubeconfig')).toThrow(/KUBECONFIG_DATA is neither/);
  });

  it('makes a JWT secret only for a cluster the job made, never for one that outlives it', () => {
    expect(jwtSecretFor(true, true)).toBeUndefined();
    expect(jwtSecretFor(false, true)).toMatch(/^[0-9a-f]{64}$/);
    expect(jwtSecretFor(false, true)).not.toBe(jwtSecretFor(false, true));
    expect(() => jwtSecretFor(false, false)).toThrow(
      /JWT_SECRET is not set: add it to the CI secrets .* the same value for every deploy/,
    );
  });
});
