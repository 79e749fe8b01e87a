/**
 * `npx nx run infra:deployed-commit`: the commit the release on the cluster was deployed from,
 * alone on standard output, for `npx nx affected -t deploy --base=<it>`. When there is no
 * commit to start from (no release, none recorded, uncommitted changes deployed, a commit this
 * checkout lacks) it says why on standard error and exits 1: deploy everything then, as
 * `node tools/scripts/deploy-affected.ts` does by itself.
 *
 * Usage: node tools/scripts/deployed-commit.ts   (deploy settings as for infra:deploy)
 */
import { runCommand, UserError } from './lib/command.ts';
import { deployedBase } from './lib/deployed-commit.ts';

const SCOPE = 'deployed-commit';

async function main(): Promise<void> {
  const { base, line } = await deployedBase();
  if (!base) throw new UserError(line);
  console.error(`[${SCOPE}] ${line}`);
  console.log(base);
}

if (import.meta.main) await runCommand(SCOPE, main);
