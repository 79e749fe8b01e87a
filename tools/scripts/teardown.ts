/**
 * `npx nx run infra:teardown -- [--delete-data]`: uninstalls the release and deletes the app
 * Secret the deploy wrote from `.env`. The database's data (its volume claims, and the password
 * Secret that data was initialised with) is kept unless --delete-data is passed; the namespace
 * is always kept. Prints what was kept and how to remove it. Running it again, or with nothing
 * installed, does nothing and says so.
 *
 * Usage: node tools/scripts/teardown.ts [--delete-data]
 */
import { runCommand, UserError } from './lib/command.ts';
import { helmVersion } from './lib/helm.ts';
import { info, step } from './lib/log.ts';
import { parseCommandArgs } from './lib/ops/cli.ts';
import { runHelm, uninstallArgs } from './lib/ops/helm-ops.ts';
import { installedRelease, releaseTarget } from './lib/ops/release-target.ts';
import { selector } from './lib/ops/release-view.ts';
import { findLeftovers, planTeardown } from './lib/ops/teardown.ts';

const SCOPE = 'teardown';
const USAGE = 'teardown.ts [--delete-data]';

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(USAGE, argv, {
    'delete-data': { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UserError(`unexpected "${positionals[0]}"; usage: ${USAGE}`);
  const version = await helmVersion();
  const { settings, kube, ref } = await releaseTarget(SCOPE);
  const namespaced = ['--namespace', ref.namespace];

  const installed = (await installedRelease(version, ref)) !== undefined;
  const namespaceExists = Boolean(
    (await kube.tryRun(['get', 'namespace', ref.namespace, '-o', 'name']))?.trim(),
  );
  const appSecretExists = Boolean(
    (
      await kube.tryRun(['get', 'secret', settings.secretName, ...namespaced, '-o', 'name'])
    )?.trim(),
  );
  const byRelease = [...namespaced, '-l', selector(ref.release)];
  const leftovers = findLeftovers(
    await kube.json(['get', 'persistentvolumeclaims', ...byRelease]),
    await kube.json(['get', 'secrets', ...byRelease]),
    settings.secretName,
  );
  const plan = planTeardown({
    release: ref.release,
    namespace: ref.namespace,
    installed,
    namespaceExists,
    appSecret: settings.secretName,
    appSecretExists,
    leftovers,
    deleteData: values['delete-data'] ?? false,
  });

  if (plan.empty) {
    info(
      SCOPE,
      `release ${ref.release} is not installed in namespace ${ref.namespace} (context ${ref.context}): nothing to remove`,
    );
  }
  if (plan.uninstall) {
    const args = uninstallArgs(version, { ...ref, timeoutSeconds: settings.timeoutSeconds });
    await step(SCOPE, `helm uninstall ${ref.release}`, () => runHelm(args));
  }
  if (plan.deleteAppSecret) {
    await step(SCOPE, `delete secret ${settings.secretName}`, () =>
      kube.run(['delete', 'secret', settings.secretName, ...namespaced, '--ignore-not-found']),
    );
  }
  for (const deletion of plan.deleteData) {
    await step(SCOPE, `delete database data: ${deletion.what}`, () => kube.run(deletion.args));
  }
  for (const line of plan.kept) info(SCOPE, line);
}

if (import.meta.main) await runCommand(SCOPE, () => main(process.argv.slice(2)));
