/**
 * `npx nx run infra:rollback -- [revision]`: `helm rollback` to the previous revision (or the
 * given one), waiting until the workloads are ready, with the flags of the installed Helm
 * (lib/helm.ts `rollbackArgs`). The next `infra:deploy` sees that the cluster no longer runs
 * the current inputs and upgrades again; roll back the inputs too to stay back.
 *
 * Usage: node tools/scripts/rollback.ts [revision]
 */
import { runCommand, UserError } from './lib/command.ts';
import { helmVersion, rollbackArgs } from './lib/helm.ts';
import { info, step } from './lib/log.ts';
import { DEPLOY_COMMAND, parseCommandArgs, positiveInt } from './lib/ops/cli.ts';
import { historyArgs, runHelm } from './lib/ops/helm-ops.ts';
import { installedRelease, releaseTarget } from './lib/ops/release-target.ts';
import { releaseLine } from './lib/ops/release-view.ts';

const SCOPE = 'rollback';
const USAGE = 'rollback.ts [revision]';

async function main(argv: string[]): Promise<void> {
  const { positionals } = parseCommandArgs(USAGE, argv, {});
  if (positionals.length > 1) throw new UserError(`too many arguments; usage: ${USAGE}`);
  const revision = positiveInt('revision', positionals[0]);
  const version = await helmVersion();
  const { settings, ref } = await releaseTarget(SCOPE);

  const before = await installedRelease(version, ref);
  if (!before) {
    throw new UserError(
      `release ${ref.release} is not installed in namespace ${ref.namespace} (context ${ref.context}): nothing to roll back; deploy with ${DEPLOY_COMMAND}`,
    );
  }
  const current = Number(before.revision);
  if (revision === undefined && current <= 1) {
    throw new UserError(
      `release ${ref.release} has only revision 1: there is nothing to roll back to`,
    );
  }
  if (revision !== undefined && revision > current) {
    throw new UserError(
      `release ${ref.release} has no revision ${revision} (latest is ${current}); see \`helm ${historyArgs(ref).join(' ')}\``,
    );
  }
  info(SCOPE, `from ${releaseLine(before)}`);
  const args = rollbackArgs(version, { ...ref, revision, timeoutSeconds: settings.timeoutSeconds });
  await step(
    SCOPE,
    `helm ${args.slice(0, 3).join(' ')} (to ${revision ?? 'the previous revision'})`,
    () => runHelm(args),
  );
  const after = await installedRelease(version, ref);
  if (after) info(SCOPE, `now ${releaseLine(after)}`);
  console.log((await runHelm(historyArgs(ref))).trimEnd());
}

if (import.meta.main) await runCommand(SCOPE, () => main(process.argv.slice(2)));
