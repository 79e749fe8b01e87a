/**
 * Which commit the cluster runs, so that CI can deploy what changed since then
 * (`nx affected -t deploy --base=<it>`) rather than since the previous commit: several commits
 * may have landed since the last deploy, or a deploy may have failed in between. Each Helm
 * upgrade stores the workspace's commit as a release label; a deploy that found the release
 * current leaves the label alone, so it names the commit the running release was built from,
 * or an older one with the same result (never a newer one: the base is sound).
 */
import { $ } from 'zx/core';
import { fetchDeployed } from './release-state.ts';
import { loadSettings } from './settings.ts';
import { targetCluster } from './target-cluster.ts';
import { workspaceRoot } from './workspace-root.ts';

/** The label value's suffix when the workspace differed from its commit (release-state.ts). */
const MODIFIED = '-modified';

export type WorkspaceCommit = { sha: string; modified: boolean };

/** The workspace's commit and whether its files differ from it; undefined outside git. */
export async function workspaceCommit(): Promise<WorkspaceCommit | undefined> {
  const git = (args: string[]) =>
    $({ nothrow: true, quiet: true, cwd: workspaceRoot })`git ${args}`;
  const [head, status] = await Promise.all([
    git(['rev-parse', 'HEAD']),
    git(['status', '--porcelain', '--untracked-files=normal']),
  ]);
  if (head.exitCode !== 0 || status.exitCode !== 0) return undefined;
  return { sha: head.stdout.trim(), modified: status.stdout.trim() !== '' };
}

/**
 * Pure: the label value for a workspace commit; none for a SHA-256 repository's 64-digit ids,
 * which exceed a label value's 63 characters (the API server would refuse the release record).
 */
export const commitLabel = (commit: WorkspaceCommit): string | undefined =>
  /^[0-9a-f]{40}$/.test(commit.sha) ? `${commit.sha}${commit.modified ? MODIFIED : ''}` : undefined;

/** Pure: the commit as the deploy lock names it to anyone waiting for it. */
export const lockCommitText = (commit: WorkspaceCommit | undefined): string =>
  commit
    ? `commit ${commit.sha.slice(0, 7)}${commit.modified ? '-dirty' : ''}`
    : 'a workspace without git';

/** Pure: a label value read back. */
export function parseCommitLabel(value: string | undefined): WorkspaceCommit | undefined {
  const match = /^([0-9a-f]{40})(-modified)?$/.exec(value ?? '');
  return match?.[1] ? { sha: match[1], modified: Boolean(match[2]) } : undefined;
}

/** Where an affected deploy starts: a commit, or a full deploy and why. */
export type AffectedBase = { base: string | undefined; line: string };

/**
 * Pure: the base for `nx affected -t deploy`, from the deployed revision's label and whether
 * this checkout has the commit it names (`known`). Anything else is a full deploy, saying why
 * and what to do.
 */
export function affectedBase(
  where: string,
  deployed: { revision: number; commit: string | undefined } | undefined,
  known: boolean,
): AffectedBase {
  const full = (why: string) => ({ base: undefined, line: `${why}: deploying everything` });
  if (!deployed) return full(`no release ${where} is deployed`);
  const revision = `revision ${deployed.revision} of ${where}`;
  const commit = parseCommitLabel(deployed.commit);
  if (!commit)
    return full(
      `${revision} names no commit it was deployed from (made by hand, or before deploys recorded one)`,
    );
  const short = commit.sha.slice(0, 12);
  if (commit.modified)
    return full(`${revision} was deployed from uncommitted changes on top of commit ${short}`);
  if (!known)
    return full(
      `${revision} was deployed from commit ${short}, which this checkout does not have (another branch, or a shallow clone: git fetch --unshallow)`,
    );
  return {
    base: commit.sha,
    line: `${revision} was deployed from commit ${short}: deploying what changed since`,
  };
}

/** Whether the checkout holds a commit. */
export async function hasCommit(sha: string | undefined): Promise<boolean> {
  if (!sha) return false;
  const result = await $({
    nothrow: true,
    quiet: true,
    cwd: workspaceRoot,
  })`git cat-file -e ${`${sha}^{commit}`}`;
  return result.exitCode === 0;
}

/** Where `nx affected -t deploy` starts for the configured release, and why. */
export async function deployedBase(): Promise<AffectedBase> {
  const settings = loadSettings();
  const { kube } = await targetCluster(settings);
  const deployed = await fetchDeployed(kube, settings.namespace, settings.release);
  const where = `${settings.namespace}/${settings.release}`;
  return affectedBase(where, deployed, await hasCommit(parseCommitLabel(deployed?.commit)?.sha));
}
