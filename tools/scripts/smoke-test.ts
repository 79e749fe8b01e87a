/**
 * `npx nx run infra:smoke-test`: the deployed app works end to end, checked from outside the
 * cluster through a port-forward on 127.0.0.1. On failure it names the failing check and prints
 * the release's pods, recent events and the logs of unready pods.
 */
import { runCommand, UserError } from './lib/command.ts';
import { printDiagnostics } from './lib/diagnostics.ts';
import { Interrupted, interruptSignal, onInterruptSay } from './lib/interrupt.ts';
import { type Kube, listByLabel } from './lib/kube.ts';
import { info, step } from './lib/log.ts';
import { poll } from './lib/poll.ts';
import { componentService, portForward } from './lib/port-forward.ts';
import { fetchStanding, standingLine } from './lib/release-standing.ts';
import { fetchDeployed } from './lib/release-state.ts';
import { writeStepRecord } from './lib/report.ts';
import { loadSettings } from './lib/settings.ts';
import { againAfterDrain, runSmokeChecks, SmokeFailure } from './lib/smoke-checks.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'smoke-test';

async function main(): Promise<void> {
  const started = performance.now();
  const settings = loadSettings();
  const { kube } = await targetCluster(settings);
  const { namespace, release } = settings;
  onInterruptSay(
    async () =>
      `the smoke test did not finish; ${standingLine(await fetchStanding(kube, namespace, release))}`,
  );
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
  const check = () =>
    runSmokeChecks(
      forward.url,
      (result) =>
        info(
          SCOPE,
          `${result.ok ? 'ok  ' : 'FAIL'} ${result.detail} (${Math.round(result.ms)} ms)`,
        ),
      async () => {
        const signal = await forward.stoppedBy();
        return signal && new Interrupted(signal);
      },
    );
  try {
    const { results, after } = await againAfterDrain(check, {
      draining: () => drainingPods(kube, namespace, release),
      untilDrained: (what, check) =>
        step(
          SCOPE,
          `"${check}" failed while ${what} of the previous revision drained; wait until they are gone, then check again`,
          () => untilDrained(kube, namespace, release, settings.timeoutSeconds),
        ),
    });
    await writeStepRecord({
      task: 'infra:smoke-test',
      action: 'passed',
      reason: `${results.length} checks passed against revision ${deployed.revision}${after ? ` (after the previous revision's pods were gone, ${(after / 1000).toFixed(1)} s)` : ''}`,
      durationMs: performance.now() - started,
      details: { revision: deployed.revision },
    });
  } catch (error) {
    if (!(error instanceof SmokeFailure)) throw error;
    await printDiagnostics(kube, namespace, release, Object.values(settings.secrets));
    throw new UserError(`check "${error.check}" failed: ${error.message}`);
  } finally {
    forward.stop();
  }
}

type Pod = { metadata: { deletionTimestamp?: string } };

/** `2 pods` of the release being deleted, or undefined. */
async function drainingPods(kube: Kube, namespace: string, release: string) {
  const pods = await listByLabel<Pod>(
    kube,
    'pods',
    namespace,
    `app.kubernetes.io/instance=${release}`,
  );
  const count = pods.filter((pod) => pod.metadata.deletionTimestamp).length;
  return count ? `${count} pod${count > 1 ? 's' : ''}` : undefined;
}

/** Milliseconds until no pod of the release is being deleted; gives up after the deploy timeout. */
async function untilDrained(
  kube: Kube,
  namespace: string,
  release: string,
  timeoutSeconds: number,
) {
  const started = performance.now();
  await poll(async () => ((await drainingPods(kube, namespace, release)) ? undefined : true), {
    timeoutMs: timeoutSeconds * 1000,
    intervalMs: 500,
    signal: interruptSignal,
    timeoutMessage: () =>
      `pods of the previous revision still terminating after ${timeoutSeconds} s (DEPLOY_TIMEOUT_SECONDS): see \`kubectl get pods -n ${namespace}\``,
  });
  return performance.now() - started;
}

if (import.meta.main)
  await runCommand(SCOPE, main, { interruptible: { task: 'infra:smoke-test' } });
