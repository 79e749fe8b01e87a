/**
 * `npx nx run infra:smoke-test`: the deployed app works end to end, checked from outside the
 * cluster through a port-forward on 127.0.0.1. On failure it names the failing check and prints
 * the release's pods, recent events and the logs of unready pods.
 */
import { runCommand, UserError } from './lib/command.ts';
import { printDiagnostics } from './lib/diagnostics.ts';
import { info } from './lib/log.ts';
import { componentService, portForward } from './lib/port-forward.ts';
import { fetchDeployed } from './lib/release-state.ts';
import { writeStepRecord } from './lib/report.ts';
import { loadSettings } from './lib/settings.ts';
import { runSmokeChecks, SmokeFailure } from './lib/smoke-checks.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'smoke-test';

async function main(): Promise<void> {
  const started = performance.now();
  const settings = loadSettings();
  const { kube } = await targetCluster(settings);
  const { namespace, release } = settings;
  // Both lookups at once; the missing release is the more useful error, so it is checked first.
  const lookup = componentService(kube, namespace, release, 'frontend');
  lookup.catch(() => {});
  const deployed = await fetchDeployed(kube, namespace, release);
  if (!deployed)
    throw new UserError(`no release ${release} in ${namespace}: run npx nx run infra:deploy`);
  const service = await lookup;
  const forward = await portForward(kube, namespace, service);
  info(
    SCOPE,
    `revision ${deployed.revision} via ${forward.url} -> service/${service.name}:${service.port}`,
  );
  try {
    const results = await runSmokeChecks(forward.url, (result) =>
      info(SCOPE, `${result.ok ? 'ok  ' : 'FAIL'} ${result.detail} (${Math.round(result.ms)} ms)`),
    );
    await writeStepRecord({
      task: 'infra:smoke-test',
      action: 'passed',
      reason: `${results.length} checks passed against revision ${deployed.revision}`,
      durationMs: performance.now() - started,
      details: { revision: deployed.revision },
    });
  } catch (error) {
    if (!(error instanceof SmokeFailure)) throw error;
    await printDiagnostics(kube, namespace, release);
    throw new UserError(`check "${error.check}" failed: ${error.message}`);
  } finally {
    forward.stop();
  }
}

if (import.meta.main) await runCommand(SCOPE, main);
