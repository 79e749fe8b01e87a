/**
 * `npx nx run infra:status`: the release (revision, status, chart and app version), its pods
 * (ready, restarts, age, image tag), the image each component runs, and how to reach the app.
 * Exits 1 when the release is not installed, so scripts can ask "is it deployed?".
 *
 * Usage: node tools/scripts/status.ts
 */
import { runCommand, UserError } from './lib/command.ts';
import { helmVersion } from './lib/helm.ts';
import { step } from './lib/log.ts';
import { DEPLOY_COMMAND } from './lib/ops/cli.ts';
import { releaseStatus } from './lib/ops/release-status.ts';
import { releaseTarget } from './lib/ops/release-target.ts';

const SCOPE = 'status';

async function main(): Promise<void> {
  const version = await helmVersion();
  const target = await releaseTarget(SCOPE);
  const lines = await step(SCOPE, 'read the release, its pods, services and ingresses', () =>
    releaseStatus(version, target),
  );
  const { ref } = target;
  if (!lines) {
    throw new UserError(
      `release ${ref.release} is not installed in namespace ${ref.namespace} (context ${ref.context}): deploy it with ${DEPLOY_COMMAND}`,
    );
  }
  console.log(lines.join('\n'));
}

if (import.meta.main) await runCommand(SCOPE, main);
