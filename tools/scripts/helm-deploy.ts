/**
 * `npx nx run infra:helm-deploy`: writes the app's Secret from `.env`, then runs
 * `helm upgrade --install` with the image tags from dist/images/*.json, waiting for readiness
 * and rolling back on failure. Helm is not invoked at all when the cluster already runs a
 * healthy release made from exactly these inputs (a no-change `helm upgrade` would still write
 * a revision and run the hooks), and the release's objects replace what was changed by hand
 * when they drifted (lib/release-live.ts). A release an interrupted deploy left pending, which
 * Helm would refuse to upgrade, is put back where it served first when this deploy took that
 * one's expired lock over, and otherwise named with the way out before Helm runs; a failure
 * says where the release stands as Helm recorded it (lib/release-standing.ts). An upgrade holds the
 * release's deploy lock (lib/deploy-lock.ts), so two deploys of one release never run Helm at
 * once: the second waits, then decides again against what the first left.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { $ } from 'zx/core';
import { accessHints } from './lib/access-hints.ts';
import {
  alreadyApplied,
  applyManifests,
  deployManifests,
  liveObjects,
  replaceManifest,
  staleKeys,
} from './lib/cluster-secret.ts';
import { runCommand, UserError } from './lib/command.ts';
import { CHART_DIR, desiredRelease, requiredSecrets, valuesDocument } from './lib/deploy-inputs.ts';
import {
  acquireDeployLock,
  type DeployLock,
  holderLine,
  LEASE_SECONDS,
} from './lib/deploy-lock.ts';
import {
  commitLabel,
  lockCommitText,
  type WorkspaceCommit,
  workspaceCommit,
} from './lib/deployed-commit.ts';
import { printDiagnostics } from './lib/diagnostics.ts';
import { helmVersion, rollbackArgs, templateArgs, upgradeArgs } from './lib/helm.ts';
import { readJsonRecord } from './lib/image-record.ts';
import {
  Interrupted,
  interruption,
  onInterruptSay,
  stopIfInterrupted,
  stoppedFromOutside,
} from './lib/interrupt.ts';
import { info, step } from './lib/log.ts';
import { runHelm, uninstallArgs } from './lib/ops/helm-ops.ts';
import { checkReleaseFit, renderChart } from './lib/release-fit.ts';
import { fetchLiveRelease, inspectLive } from './lib/release-live.ts';
import {
  RELEASE_OBJECTS_PATH,
  RELEASE_RECORD_PATH,
  type ReleaseRecord,
} from './lib/release-record.ts';
import {
  fetchStanding,
  fetchStuck,
  type Recovery,
  recoveryPlan,
  standingLine,
} from './lib/release-standing.ts';
import {
  COMMIT_LABEL,
  decideRelease,
  FINGERPRINT_LABEL,
  fetchDeployed,
  MIGRATIONS_LABEL,
  migrationsNeeded,
  releaseFingerprint,
} from './lib/release-state.ts';
import { writeStepRecord } from './lib/report.ts';
import { type Unschedulable, unschedulableLine, watchScheduling } from './lib/scheduling.ts';
import { loadSettings, workspaceRoot } from './lib/settings.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'helm-deploy';

/** What Helm says when a signal cancels its operation (it then marks the revision failed). */
const HELM_CANCELLED = /context canceled/;
/** Typed values (a tag of digits stays a string, a flag stays a boolean), unlike --set. */
const GENERATED_VALUES = join(workspaceRoot, 'dist', 'deploy', 'values.generated.yaml');
/** What this run does beyond the release's inputs (not part of the fingerprint). */
const RUN_VALUES = join(workspaceRoot, 'dist', 'deploy', 'values.run.yaml');

async function main(): Promise<void> {
  const started = performance.now();
  const settings = loadSettings();
  const secrets = requiredSecrets(settings);
  const { namespace, release } = settings;
  // Independent of each other, and on the critical path of every redeploy: at once.
  const [helm, { kube, identity, detection }, desired] = await Promise.all([
    helmVersion(),
    targetCluster(settings),
    desiredRelease(settings, secrets),
  ]);
  const fingerprint = releaseFingerprint(desired);
  onInterruptSay(async () => standingLine(await fetchStanding(kube, namespace, release)));

  const manifests = deployManifests({
    namespace,
    release,
    secretName: settings.secretName,
    secrets,
    digest: String(desired.values['secrets.checksum']),
  });
  // A kubectl process costs a few hundred milliseconds on every upgrade: skip it when the
  // live objects already hold exactly these values.
  const [live, firstLook] = await Promise.all([
    liveObjects(kube, namespace, settings.secretName),
    fetchLiveRelease(kube, namespace, release),
  ]);
  let deployed = firstLook;
  const previous = await readJsonRecord<ReleaseRecord>(RELEASE_RECORD_PATH);
  const [namespaceObject, secretObject] = manifests as [object, object];
  const removed = staleKeys(secretObject, live[1]);
  if (alreadyApplied(manifests, live)) {
    info(SCOPE, `namespace ${namespace} and Secret ${settings.secretName} already current`);
  } else if (removed.length) {
    await step(
      SCOPE,
      `replace Secret ${settings.secretName}: ${removed.join(', ')} no longer in the env file, removed`,
      async () => {
        await applyManifests(kube, [namespaceObject]);
        await replaceManifest(kube, secretObject);
      },
    );
  } else {
    await step(SCOPE, `apply namespace ${namespace} and Secret ${settings.secretName}`, () =>
      applyManifests(kube, manifests),
    );
  }

  let decision = decideRelease(desired, deployed);
  info(SCOPE, decision.reason);

  await mkdir(dirname(GENERATED_VALUES), { recursive: true });
  if (decision.upgrade) {
    const workspace = await workspaceCommit();
    const lock = await acquireDeployLock(kube, {
      namespace,
      release,
      commit: lockCommitText(workspace),
      waitSeconds: settings.lockWaitSeconds,
      onWait: (line) => info(SCOPE, line),
    });
    try {
      if (lock.tookOverFrom)
        info(
          SCOPE,
          `took the deploy lock over from an interrupted ${holderLine(lock.tookOverFrom)}`,
        );
      if (lock.waitedSeconds !== undefined) {
        // The other deploy changed the release: decide again against what it left.
        deployed = await fetchLiveRelease(kube, namespace, release);
        decision = decideRelease(desired, deployed);
        info(SCOPE, `after waiting ${lock.waitedSeconds} s: ${decision.reason}`);
      }
      if (decision.upgrade)
        await upgrade(workspace, lock.tookOverFrom && holderLine(lock.tookOverFrom));
    } finally {
      await leave(lock);
    }
  }

  /**
   * Releases the lock, so that the next deploy need not wait for it to expire; unless an
   * interruption left a revision pending (Helm ended harder than its own cancel, which marks
   * the revision failed): then the lock is left to expire, and the deploy that takes it over
   * knows the pending revision is nobody's and recovers it.
   */
  async function leave(lock: DeployLock): Promise<void> {
    const signal = interruption();
    const stuck = signal && (await fetchStuck(kube, namespace, release).catch(() => undefined));
    if (stuck) {
      lock.abandon();
      info(
        SCOPE,
        `the deploy lock is left to expire in ${LEASE_SECONDS} s: the next deploy recovers the pending revision`,
      );
      return;
    }
    await lock.release();
    if (signal) info(SCOPE, 'the deploy lock is released');
  }

  /** `interruptedDeploy`: the deploy whose expired lock this one took over, if any. */
  async function upgrade(
    workspace: WorkspaceCommit | undefined,
    interruptedDeploy: string | undefined,
  ): Promise<void> {
    // A signal that came while this step had no child to stop (writing the Secret, taking the
    // lock): it must not start Helm after it.
    stopIfInterrupted();
    // Helm would refuse ("another operation is in progress") and say nothing more useful.
    const stuck = await fetchStuck(kube, namespace, release);
    if (stuck) await recover(recoveryPlan(stuck, interruptedDeploy));
    const commit = workspace && commitLabel(workspace);
    const migrations = migrationsNeeded(desired, deployed);
    info(SCOPE, migrations.reason);
    await writeFile(GENERATED_VALUES, valuesDocument(desired.values));
    await writeFile(RUN_VALUES, valuesDocument({ 'migrations.onUpgrade': migrations.upgrade }));
    const valuesFiles = [...settings.valuesFiles, GENERATED_VALUES, RUN_VALUES];
    const fit = await step(
      SCOPE,
      "check that the release fits its namespace's quota and the nodes",
      async () =>
        checkReleaseFit(
          kube,
          await renderChart(templateArgs({ release, chart: CHART_DIR, namespace, valuesFiles })),
          { namespace, installed: deployed !== undefined },
        ),
    );
    for (const note of fit.notes) info(SCOPE, note);
    if (fit.problems.length) {
      throw new UserError(
        `the release does not fit, so Helm was not run and the release is unchanged:\n  ${fit.problems.join('\n  ')}`,
      );
    }
    const args = upgradeArgs(helm, {
      release,
      chart: CHART_DIR,
      namespace,
      context: kube.context,
      valuesFiles,
      labels: {
        [FINGERPRINT_LABEL]: fingerprint,
        [MIGRATIONS_LABEL]: desired.migrations,
        ...(commit ? { [COMMIT_LABEL]: commit } : {}),
      },
      timeoutSeconds: settings.timeoutSeconds,
      restore: decision.restore,
    });
    stopIfInterrupted();
    let unplaced: Unschedulable | undefined;
    const result = await step(SCOPE, `helm ${helm.text} upgrade --install ${release}`, async () => {
      const run = $({ nothrow: true, stdio: ['ignore', 'inherit', 'pipe'] })`helm ${args}`;
      const waited = new AbortController();
      const graceSeconds = settings.unschedulableSeconds;
      if (graceSeconds > 0) {
        void watchScheduling(kube, namespace, release, {
          graceSeconds,
          signal: waited.signal,
        }).then((found) => {
          unplaced = found;
          // Helm answers a SIGTERM by cancelling: the revision is marked failed.
          if (found) void run.kill('SIGTERM');
        });
      }
      try {
        return await run;
      } finally {
        waited.abort();
      }
    });
    if (result.exitCode !== 0 && unplaced) {
      await printDiagnostics(kube, namespace, release, Object.values(secrets));
      const standing = await fetchStanding(kube, namespace, release);
      const { latest, serving } = standing;
      if (serving && latest && latest.revision !== serving.revision) {
        await step(SCOPE, `helm rollback to revision ${serving.revision}`, () =>
          runHelm(rollbackArgs(helm, { ...releaseRef(), revision: serving.revision })),
        );
      }
      const state = standingLine(await fetchStanding(kube, namespace, release));
      throw new UserError(`${unschedulableLine(unplaced)}; ${state}`);
    }
    if (result.exitCode !== 0) {
      const stopped = await stoppedFromOutside(result, HELM_CANCELLED);
      if (stopped) throw new Interrupted(stopped);
      const cause = result.stderr.trim().split('\n').pop() ?? 'helm failed';
      await printDiagnostics(kube, namespace, release, Object.values(secrets));
      const state = standingLine(await fetchStanding(kube, namespace, release));
      throw new UserError(`${cause}; ${state}. Pods, events and logs are printed above.`);
    }
  }

  function releaseRef() {
    return { release, namespace, context: kube.context, timeoutSeconds: settings.timeoutSeconds };
  }

  async function recover(plan: Recovery): Promise<void> {
    if (plan.action === 'refuse') throw new UserError(plan.message);
    info(SCOPE, plan.line);
    const ref = releaseRef();
    const args =
      plan.action === 'rollback'
        ? rollbackArgs(helm, { ...ref, revision: plan.revision })
        : uninstallArgs(helm, ref);
    stopIfInterrupted();
    await step(SCOPE, `helm ${args.slice(0, 2).join(' ')}`, () => runHelm(args));
    deployed =
      plan.action === 'rollback' ? await fetchLiveRelease(kube, namespace, release) : undefined;
  }

  // Without an upgrade the release is the one inspected above; after one, its new objects are.
  const now = decision.upgrade ? await fetchDeployed(kube, namespace, release) : deployed;
  const applied =
    decision.upgrade && now
      ? await inspectLive(kube, namespace, release, now, undefined)
      : deployed;
  if (decision.upgrade && applied?.drift) {
    info(
      SCOPE,
      `note: right after the upgrade, ${applied.drift} (a mutating admission webhook?); recorded as applied`,
    );
  }
  // What the smoke test keys on: it reruns exactly when this changes (another revision, or a
  // reinstall), and is an Nx cache hit when helm-deploy found nothing to do.
  const record: ReleaseRecord = {
    cluster: identity,
    release: `${namespace}/${release}`,
    revision: now?.revision,
    recordUid: now?.recordUid,
    fingerprint,
    images: desired.images,
    // Kept while helm-deploy only confirms the release it left (it ran because a step before
    // it did, and found nothing to do): the smoke test of that release is not repeated then.
    checkedAt:
      !decision.upgrade && !deployed?.unanswered && previous?.recordUid === now?.recordUid
        ? (previous?.checkedAt ?? new Date().toISOString())
        : new Date().toISOString(),
  };
  await writeFile(RELEASE_RECORD_PATH, `${JSON.stringify(record, null, 2)}\n`);
  await writeFile(RELEASE_OBJECTS_PATH, `${JSON.stringify(applied?.objects ?? {}, null, 2)}\n`);
  const action = !decision.upgrade ? 'unchanged' : deployed ? 'upgraded' : 'installed';
  await writeStepRecord({
    task: 'infra:helm-deploy',
    action,
    reason: decision.reason,
    durationMs: performance.now() - started,
    details: {
      release: `${namespace}/${release}`,
      revision: now?.revision ?? 0,
      fingerprint,
      cluster: identity,
      // Each app's image, by name (backend, frontend, and any app added since).
      ...desired.images,
    },
    urls: await accessHints(kube, detection, {
      namespace,
      release,
      minikubeProfile: settings.minikubeProfile,
    }).catch(() => []),
  });
  info(SCOPE, `${namespace}/${release} at revision ${now?.revision} (${action})`);
}

if (import.meta.main)
  await runCommand(SCOPE, main, { interruptible: { task: 'infra:helm-deploy' } });
