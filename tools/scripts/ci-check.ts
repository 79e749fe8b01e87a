/**
 * `npm run ci:check`: the pull-request (and main-branch) check of the CI definitions
 * (.github/workflows, .gitlab-ci.yml): lint, typecheck, test and build of the projects a change
 * affects, with the shared Nx cache when the job has one (NX_SELF_HOSTED_REMOTE_CACHE_SERVER).
 * The base comes from the CI's variables (lib/ci-range.ts); Nx's exit code is the job's.
 *
 * Usage: node tools/scripts/ci-check.ts [--base=<ref>] [--targets=lint,typecheck,...] [nx options]
 */
import { parseArgs } from 'node:util';
import { $ } from 'zx/core';
import { checkBase, checkCommand } from './lib/ci-range.ts';
import { runCommand } from './lib/command.ts';
import { info } from './lib/log.ts';
import { runInherited } from './lib/shell.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

const SCOPE = 'ci-check';
const TARGETS = ['lint', 'typecheck', 'test', 'build'];

async function main(): Promise<void> {
  const { values, tokens } = parseArgs({
    options: { base: { type: 'string' }, targets: { type: 'string' } },
    strict: false,
    tokens: true,
  });
  const passThrough = tokens.flatMap((token) =>
    token.kind === 'option' && !['base', 'targets'].includes(token.name)
      ? [token.rawName + (token.value === undefined ? '' : `=${token.value}`)]
      : token.kind === 'positional'
        ? [token.value]
        : [],
  );
  const range = checkBase(process.env, typeof values.base === 'string' ? values.base : undefined);
  const exists = range.base
    ? (
        await $({
          nothrow: true,
          quiet: true,
          cwd: workspaceRoot,
        })`git rev-parse --verify --quiet ${`${range.base}^{commit}`}`
      ).exitCode === 0
    : false;
  const targets = typeof values.targets === 'string' ? values.targets.split(',') : TARGETS;
  const { args, line } = checkCommand(range, exists, targets);
  info(SCOPE, line);
  info(SCOPE, `npx ${args.join(' ')}`);
  process.exitCode = await runInherited('npx', [...args, ...passThrough], { cwd: workspaceRoot });
}

if (import.meta.main) await runCommand(SCOPE, main);
