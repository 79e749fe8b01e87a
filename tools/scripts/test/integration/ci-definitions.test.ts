/**
 * The CI definitions (.github/workflows, .gitlab-ci.yml) are not untested YAML: actionlint (built
 * from its Go module) checks the GitHub workflows, every command a job runs is one of the
 * repository's scripts, tokens go where they belong, and the check script runs here for real.
 * The deploy script runs on the test cluster in the e2e suite (test/e2e/deploy.test.ts, 27).
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { $ } from 'zx';
import { tasksOf } from '../../lib/nx-run.ts';
import { REPORT_PATH } from '../../lib/report.ts';
import { createScratchWorkspace, type ScratchWorkspace } from '../../lib/scratch-workspace.ts';
import { workspaceRoot } from '../../lib/workspace-root.ts';
import { ensureActionlint } from '../support/actionlint.ts';

type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type GithubJob = { env?: Record<string, string>; steps: Step[] };
type Workflow = { env?: Record<string, string>; jobs: Record<string, GithubJob> };
type GitlabJob = {
  script?: string[];
  variables?: Record<string, string>;
  rules?: { if: string; variables?: Record<string, string> }[];
  artifacts?: { paths: string[] };
};

const read = async <T>(path: string) =>
  parse(await readFile(join(workspaceRoot, path), 'utf8')) as T;
const workflow = (name: string) => read<Workflow>(`.github/workflows/${name}.yml`);
const runs = (job: GithubJob) => job.steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
const tokenOf = (workflow: Workflow, job: string) =>
  workflow.jobs[job]?.env?.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN ??
  workflow.env?.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN;

describe('the CI definitions', () => {
  it('pass actionlint', async () => {
    const actionlint = await ensureActionlint();
    const result = await $({
      cwd: workspaceRoot,
      nothrow: true,
      quiet: true,
    })`${actionlint} -color=false .github/workflows/pull-request.yml .github/workflows/main.yml`;
    expect(result.stdout + result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  }, 180_000);

  it('run only the repository scripts, the same ones on GitHub and GitLab', async () => {
    const [pullRequest, main, gitlab, pkg] = await Promise.all([
      workflow('pull-request'),
      workflow('main'),
      read<Record<string, GitlabJob>>('.gitlab-ci.yml'),
      read<{ scripts: Record<string, string> }>('package.json'),
    ]);
    const check = ['npm ci', 'npm run ci:check'];
    const deploy = ['npm ci', 'npm run ci:deploy'];
    expect(runs(pullRequest.jobs.check as GithubJob)).toEqual(check);
    expect(runs(main.jobs.check as GithubJob)).toEqual(check);
    // Besides the scripts, the deploy job only marks a kind cluster as its own.
    expect(
      runs(main.jobs.deploy as GithubJob).filter((run) => !run.includes('$GITHUB_ENV')),
    ).toEqual(deploy);
    expect(gitlab.check?.script).toEqual(check);
    expect(gitlab.deploy?.script).toEqual(deploy);
    for (const script of ['ci:check', 'ci:deploy']) {
      const file = /^node (\S+)$/.exec(pkg.scripts[script] ?? '')?.[1] ?? '';
      await expect(readFile(join(workspaceRoot, file), 'utf8')).resolves.toContain('runCommand');
    }
  });

  it('give pull requests the read token and only main the write token', async () => {
    const [pullRequest, main, gitlab] = await Promise.all([
      workflow('pull-request'),
      workflow('main'),
      read<Record<string, GitlabJob>>('.gitlab-ci.yml'),
    ]);
    const secret = (name: string) => `\${{ secrets.${name} }}`;
    expect(tokenOf(pullRequest, 'check')).toBe(secret('NX_CACHE_READ_TOKEN'));
    expect(tokenOf(main, 'check')).toBe(secret('NX_CACHE_WRITE_TOKEN'));
    expect(tokenOf(main, 'deploy')).toBe(secret('NX_CACHE_WRITE_TOKEN'));
    const [mergeRequest, defaultBranch] = gitlab.check?.rules ?? [];
    expect(mergeRequest?.if).toContain('merge_request_event');
    expect(mergeRequest?.variables?.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN).toBe(
      '$NX_CACHE_READ_TOKEN',
    );
    expect(defaultBranch?.if).toContain('$CI_DEFAULT_BRANCH');
    expect(gitlab.deploy?.rules?.[0]?.if).toContain('$CI_DEFAULT_BRANCH');
  });

  it('keep the deploy report the deploy writes, and its steps, as the artifact', async () => {
    const [main, gitlab] = await Promise.all([
      workflow('main'),
      read<Record<string, GitlabJob>>('.gitlab-ci.yml'),
    ]);
    const report = relative(workspaceRoot, REPORT_PATH);
    const upload = main.jobs.deploy?.steps.find((step) =>
      step.uses?.startsWith('actions/upload-artifact'),
    );
    expect(String(upload?.with?.path).split('\n').filter(Boolean)).toEqual([
      report,
      'dist/deploy/steps/',
    ]);
    expect(gitlab.deploy?.artifacts?.paths).toEqual([report, 'dist/deploy/steps/']);
  });
});

describe('npm run ci:check', () => {
  let scratch: ScratchWorkspace;
  beforeAll(async () => {
    scratch = await createScratchWorkspace(workspaceRoot);
  }, 120_000);
  afterAll(() => scratch?.remove());

  const check = async (args: string[], env: Record<string, string> = {}) => {
    const result = await scratch.run(
      [
        'npm',
        'run',
        '--silent',
        'ci:check',
        '--',
        '--targets=lint',
        '--outputStyle=stream',
        ...args,
      ],
      env,
    );
    const output = result.stdout + result.stderr;
    expect(result.exitCode, output.slice(-3000)).toBe(0);
    return { output, ...tasksOf(output) };
  };

  it("checks the projects a pull request's commits affect, against its base", async () => {
    const base = (await scratch.run(['git', 'rev-parse', 'HEAD'])).stdout.trim();
    await scratch.edit('apps/backend/src/main.ts', '\n', '\n// a pull request\n');
    await scratch.commit('a backend change');
    const run = await check([], { CI_MERGE_REQUEST_DIFF_BASE_SHA: base });
    expect(run.output).toContain(
      `[ci-check] checking lint of what changed since ${base} (the merge request's base commit)`,
    );
    expect(run.executed).toContain('backend:lint');
    expect([...run.executed, ...run.cached].filter((task) => task.startsWith('frontend:'))).toEqual(
      [],
    );
  }, 180_000);

  it('checks every project, saying why, when the base is not in the checkout', async () => {
    const run = await check(['--base=0123456789abcdef0123456789abcdef01234567']);
    expect(run.output).toMatch(
      /is not in this checkout \(a shallow clone: .*\): checking lint of every project/,
    );
    expect([...run.executed, ...run.cached]).toEqual(
      expect.arrayContaining(['backend:lint', 'frontend:lint', 'scripts:lint']),
    );
  }, 180_000);
});
