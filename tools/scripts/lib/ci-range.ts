/**
 * What a CI check compares with: `nx affected` needs a base commit, and each CI names it in
 * its own variables. A pull request is checked against its target branch; a push against the
 * commit before it. A base the checkout lacks (a shallow clone) or none at all means checking
 * everything, saying why, never checking nothing.
 */

export type CheckRange = { base: string | undefined; why: string };

/** Pure: the base the CI's variables (or an explicit `--base`) name, and where it came from. */
export function checkBase(env: Record<string, string | undefined>, explicit?: string): CheckRange {
  if (explicit) return { base: explicit, why: 'given with --base' };
  if (env.GITHUB_BASE_REF)
    return {
      base: `origin/${env.GITHUB_BASE_REF}`,
      why: `the pull request's target branch (${env.GITHUB_BASE_REF})`,
    };
  if (env.CI_MERGE_REQUEST_DIFF_BASE_SHA)
    return {
      base: env.CI_MERGE_REQUEST_DIFF_BASE_SHA,
      why: "the merge request's base commit",
    };
  // GitLab's "before" of a new branch's first push is all zeros: no commit.
  if (env.CI_COMMIT_BEFORE_SHA && !/^0+$/.test(env.CI_COMMIT_BEFORE_SHA))
    return { base: env.CI_COMMIT_BEFORE_SHA, why: 'the commit before this push' };
  return { base: 'HEAD~1', why: 'the previous commit' };
}

/** Pure: the Nx command of the check: affected since the base, or everything and why. */
export function checkCommand(
  range: CheckRange,
  baseExists: boolean,
  targets: string[],
): { args: string[]; line: string } {
  const list = targets.join(',');
  if (range.base && baseExists)
    return {
      args: ['nx', 'affected', '-t', ...targets, `--base=${range.base}`, '--head=HEAD'],
      line: `checking ${list} of what changed since ${range.base} (${range.why})`,
    };
  const why = range.base
    ? `${range.base} (${range.why}) is not in this checkout (a shallow clone: fetch with full history, e.g. fetch-depth: 0)`
    : 'no base commit';
  return {
    args: ['nx', 'run-many', '-t', ...targets],
    line: `${why}: checking ${list} of every project`,
  };
}
