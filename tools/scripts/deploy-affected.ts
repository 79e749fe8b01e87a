/**
 * CI's deploy: `npx nx affected -t deploy` from the commit the cluster runs (see
 * deployed-commit.ts) to this one, so that every change since the last deploy goes out, however
 * many commits landed or deploys failed in between; `npx nx run infra:deploy` when there is no
 * such commit, saying why. Nx's own options follow (e.g. --parallel=1).
 *
 * Usage: node tools/scripts/deploy-affected.ts [nx options]   (deploy settings as for infra:deploy)
 */
import { runCommand } from './lib/command.ts';
import { deployedBase } from './lib/deployed-commit.ts';
import { info } from './lib/log.ts';
import { runInherited } from './lib/shell.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

const SCOPE = 'deploy-affected';

async function main(): Promise<void> {
  const { base, line } = await deployedBase();
  info(SCOPE, line);
  const args = base
    ? ['nx', 'affected', '-t', 'deploy', `--base=${base}`]
    : ['nx', 'run', 'infra:deploy'];
  info(SCOPE, `npx ${args.join(' ')}`);
  const code = await runInherited('npx', [...args, ...process.argv.slice(2)], {
    cwd: workspaceRoot,
  });
  process.exitCode = code;
}

if (import.meta.main) await runCommand(SCOPE, main);
