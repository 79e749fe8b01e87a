/**
 * Where CI's affected deploy starts: the commit the running release was deployed from, or a
 * full deploy with the reason, for every state the release label can be in.
 */
import { describe, expect, it } from 'vitest';
import {
  affectedBase,
  commitLabel,
  lockCommitText,
  parseCommitLabel,
} from '../../lib/deployed-commit.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const WHERE = 'apps/todo';

describe('the commit label', () => {
  it('round-trips a clean and a modified workspace', () => {
    for (const modified of [false, true]) {
      const label = commitLabel({ sha: SHA, modified });
      expect(label?.length).toBeLessThanOrEqual(63);
      expect(parseCommitLabel(label)).toEqual({ sha: SHA, modified });
    }
  });

  it('is left out for a SHA-256 repository, whose ids do not fit a label value', () => {
    expect(commitLabel({ sha: 'ab'.repeat(32), modified: false })).toBeUndefined();
  });

  it('reads nothing from a missing or foreign value', () => {
    for (const value of [undefined, '', 'abc1234', `${SHA}-dirty`, `${SHA.toUpperCase()}`])
      expect(parseCommitLabel(value)).toBeUndefined();
  });
});

describe('affectedBase', () => {
  it('starts at the deployed commit when this checkout has it', () => {
    expect(affectedBase(WHERE, { revision: 7, commit: SHA }, true)).toEqual({
      base: SHA,
      line: 'revision 7 of apps/todo was deployed from commit 0123456789ab: deploying what changed since',
    });
  });

  it.each([
    ['no release', undefined, true, 'no release apps/todo is deployed: deploying everything'],
    [
      'no label',
      { revision: 3, commit: undefined },
      true,
      'revision 3 of apps/todo names no commit it was deployed from (made by hand, or before deploys recorded one): deploying everything',
    ],
    [
      'local changes',
      { revision: 4, commit: `${SHA}-modified` },
      true,
      'revision 4 of apps/todo was deployed from uncommitted changes on top of commit 0123456789ab: deploying everything',
    ],
    [
      'an unknown commit',
      { revision: 5, commit: SHA },
      false,
      'revision 5 of apps/todo was deployed from commit 0123456789ab, which this checkout does not have (another branch, or a shallow clone: git fetch --unshallow): deploying everything',
    ],
  ])('deploys everything with %s, saying so', (_, deployed, known, line) => {
    expect(affectedBase(WHERE, deployed, known)).toEqual({ base: undefined, line });
  });
});

describe('the commit the deploy lock names', () => {
  it('is the short commit, -dirty when the files differ, and says when there is no git', () => {
    expect(lockCommitText({ sha: SHA, modified: false })).toBe('commit 0123456');
    expect(lockCommitText({ sha: SHA, modified: true })).toBe('commit 0123456-dirty');
    expect(lockCommitText(undefined)).toBe('a workspace without git');
  });
});
