/**
 * `npx nx run infra:doctor`: checks everything a deploy needs, one line per check
 * (`ok|warn|fail <what>`, and the fix for anything that is not ok), and exits 1 when any check
 * fails. It keeps going after a failure so one run lists every problem. The verdicts are pure
 * functions in lib/ops/checks.ts and lib/ops/minikube.ts.
 *
 * Usage: node tools/scripts/doctor.ts
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { $ } from 'zx/core';
import { runCommand, UserError } from './lib/command.ts';
import { CHART_DIR } from './lib/deploy-inputs.ts';
import { fetchLeaseState } from './lib/deploy-lock.ts';
import { assertDockerAvailable } from './lib/docker.ts';
import { helmVersion, templateArgs } from './lib/helm.ts';
import { clusterIdentity, connect, type Kube } from './lib/kube.ts';
import { info } from './lib/log.ts';
import {
  type Check,
  evaluateHelm,
  evaluateKubectl,
  evaluateLock,
  evaluateNodeHealth,
  evaluateNodeResources,
  evaluateRelease,
  evaluateServer,
  exitCodeOf,
  formatCheck,
  type NodeList,
} from './lib/ops/checks.ts';
import {
  DEFAULT_PROFILE,
  missingAddons,
  parseAddons,
  parseMinikubeStatus,
} from './lib/ops/minikube.ts';
import { detectProvider } from './lib/providers/detect.ts';
import { createProvider } from './lib/providers/providers.ts';
import { registryClient } from './lib/registry/client.ts';
import { imageTransport } from './lib/registry/discover.ts';
import { checkReleaseFit, renderChart } from './lib/release-fit.ts';
import { fetchStanding } from './lib/release-standing.ts';
import { loadSettings, type Settings, workspaceRoot } from './lib/settings.ts';

const SCOPE = 'doctor';
const quiet = { quiet: true, nothrow: true } as const;

const checks: Check[] = [];
function report(check: Check): void {
  checks.push(check);
  console.log(formatCheck(check));
}

/** A UserError's message already names the problem and the fix. */
function failure(error: unknown): Check {
  if (!(error instanceof UserError)) throw error;
  return { level: 'fail', what: error.message.split('\n').join('; ') };
}

async function onPath(tool: string): Promise<boolean> {
  return (await $(quiet)`command -v ${tool}`).exitCode === 0;
}

async function checkDocker(): Promise<void> {
  try {
    await assertDockerAvailable();
    const version = await $(quiet)`docker version --format {{.Server.Version}}`;
    report({ level: 'ok', what: `Docker daemon reachable (${version.stdout.trim()})` });
  } catch (error) {
    report(failure(error));
  }
}

async function checkKubectl(): Promise<boolean> {
  if (!(await onPath('kubectl'))) {
    report({
      level: 'fail',
      what: 'kubectl not found',
      fix: 'install kubectl 1.28+ (https://kubernetes.io/docs/tasks/tools/)',
    });
    return false;
  }
  const client = await $(quiet)`kubectl version --client -o json`;
  const check = evaluateKubectl(client.stdout || '{}');
  report(check);
  return check.level !== 'fail';
}

async function checkHelm(): Promise<void> {
  try {
    report(evaluateHelm(await helmVersion()));
  } catch (error) {
    report(failure(error));
  }
}

function checkSettings(): Settings | undefined {
  try {
    const settings = loadSettings();
    const envFile = relative(workspaceRoot, settings.envFile) || settings.envFile;
    const hasEnvFile = existsSync(settings.envFile);
    if (!hasEnvFile && !settings.secrets.JWT_SECRET) {
      report({
        level: 'fail',
        what: `no ${envFile}`,
        fix: 'cp .env.example .env and set JWT_SECRET=$(openssl rand -hex 32)',
      });
    } else if (!settings.secrets.JWT_SECRET) {
      report({
        level: 'fail',
        what: `JWT_SECRET is not set in ${envFile} (the backend refuses to start without it)`,
        fix: `add JWT_SECRET=$(openssl rand -hex 32) to ${envFile}`,
      });
    } else {
      const source = hasEnvFile ? envFile : 'the environment (no .env)';
      report({ level: 'ok', what: `${source} parsed, JWT_SECRET set` });
    }
    report({
      level: 'ok',
      what: `settings valid: release ${settings.release}, namespace ${settings.namespace}, provider ${settings.provider}, timeout ${settings.timeoutSeconds}s`,
    });
    return settings;
  } catch (error) {
    report(failure(error));
    return undefined;
  }
}

async function checkMinikube(profile: string): Promise<void> {
  if (!(await onPath('minikube'))) {
    report({
      level: 'warn',
      what: 'the cluster is a minikube profile but the minikube CLI is not on PATH: addons not checked',
      fix: 'install minikube (https://minikube.sigs.k8s.io/docs/start/)',
    });
    return;
  }
  const status = parseMinikubeStatus(
    (await $(quiet)`minikube status -p ${profile} -o json`).stdout,
    profile,
  );
  report(
    status.running
      ? { level: 'ok', what: `minikube ${status.detail}` }
      : { level: 'fail', what: `minikube ${status.detail}`, fix: 'npx nx run infra:cluster-up' },
  );
  if (!status.running) return;
  const listed = await $(quiet)`minikube addons list -p ${profile} -o json`;
  const missing = listed.exitCode === 0 ? missingAddons(parseAddons(listed.stdout)) : undefined;
  if (!missing) {
    report({
      level: 'warn',
      what: `minikube addons list -p ${profile} failed: addons not checked`,
    });
  } else if (missing.length) {
    // The chart's defaults use neither (Ingress and HPA are off), so the deploy still works.
    report({
      level: 'warn',
      what: `minikube addon ${missing.join(', ')} not enabled (needed for the Ingress / HPA)`,
      fix: missing.map((addon) => `minikube addons enable ${addon} -p ${profile}`).join(' && '),
    });
  } else {
    report({ level: 'ok', what: 'minikube addons ingress and metrics-server enabled' });
  }
}

async function checkCluster(settings: Settings): Promise<void> {
  let kube: Kube;
  try {
    kube = await connect(settings.kubeContext);
    await clusterIdentity(kube);
  } catch (error) {
    report(failure(error));
    return;
  }
  const version = await kube.tryRun(['version', '-o', 'json']);
  report(evaluateServer(version ?? '{}', kube.context));

  const nodes = await kube.json<NodeList>(['get', 'nodes']);
  const detection = detectProvider({
    explicit: settings.provider,
    context: kube.context,
    nodeNames: nodes.items.map((node) => node.metadata.name),
    minikubeProfile: settings.minikubeProfile,
  });
  report({ level: 'ok', what: `provider ${detection.provider}: ${detection.reason}` });

  const profile = detection.cluster ?? settings.minikubeProfile ?? DEFAULT_PROFILE;
  const resizeFix =
    detection.provider === 'minikube'
      ? `minikube delete -p ${profile} && npx nx run infra:cluster-up (MINIKUBE_CPUS / MINIKUBE_MEMORY to size it)`
      : "give the cluster's nodes more CPU and memory (Docker Desktop: Settings > Resources)";
  report(evaluateNodeResources(nodes, resizeFix));
  report(evaluateNodeHealth(nodes.items));
  if (detection.provider === 'minikube') await checkMinikube(profile);
  const provider = createProvider({
    detection,
    containerdAddress: settings.containerdAddress,
    nodeNames: nodes.items.map((node) => node.metadata.name),
  });
  await checkTransport(kube, settings, provider.sharesDaemon);
  try {
    const [standing, lock] = await Promise.all([
      fetchStanding(kube, settings.namespace, settings.release),
      // A lock that cannot be read is no reason to hide the release's state.
      fetchLeaseState(kube, settings.namespace, settings.release).catch(
        () => ({ kind: 'free' }) as const,
      ),
    ]);
    report(evaluateRelease(standing, settings.namespace));
    const locked = evaluateLock(lock, settings.release);
    if (locked) report(locked);
    await checkFit(kube, settings, standing.serving !== undefined);
  } catch (error) {
    report(failure(error));
  }
}

/**
 * The deploy's own check before Helm runs: the chart rendered with these values files (the
 * images' tags do not change what the pods request) against the namespace's quotas and the nodes.
 */
async function checkFit(kube: Kube, settings: Settings, installed: boolean): Promise<void> {
  const { namespace, release } = settings;
  const objects = await renderChart(
    templateArgs({ release, chart: CHART_DIR, namespace, valuesFiles: settings.valuesFiles }),
  );
  const fit = await checkReleaseFit(kube, objects, { namespace, installed });
  report(
    fit.problems.length
      ? {
          level: 'fail',
          what: `the release does not fit: ${fit.problems.join('; ')}`,
          fix: 'change the values or the cluster as each line says, then deploy',
        }
      : {
          level: 'ok',
          what: `the release fits its namespace's quotas and the nodes${fit.notes.length ? ` (${fit.notes.join('; ')})` : ''}`,
        },
  );
}

/** Which way images travel, and for a registry whether it answers with these credentials. */
async function checkTransport(kube: Kube, settings: Settings, sharesDaemon: boolean) {
  const transport = await imageTransport(kube, settings, sharesDaemon);
  if (transport.kind === 'side-load') {
    report({ level: 'ok', what: `images side-loaded: ${transport.reason}` });
    return;
  }
  try {
    // A tag that never exists: any answer but "no such tag" is a problem worth seeing now.
    await registryClient(transport.push).manifestDigest('todo-chatbot/backend', 'doctor-probe');
    report({
      level: 'ok',
      what: `images pushed to ${transport.push}, which answers: ${transport.reason}`,
    });
  } catch (error) {
    report(failure(error));
  }
}

async function main(): Promise<void> {
  await checkDocker();
  const hasKubectl = await checkKubectl();
  await checkHelm();
  const settings = checkSettings();
  if (settings && hasKubectl) await checkCluster(settings);
  else {
    report({
      level: 'warn',
      what: 'cluster not checked',
      fix: 'fix the failures above, then run the doctor again',
    });
  }

  const count = (level: Check['level']) => checks.filter((check) => check.level === level).length;
  info(SCOPE, `${count('ok')} ok, ${count('warn')} warn, ${count('fail')} fail`);
  if (exitCodeOf(checks) !== 0) {
    throw new UserError(`${count('fail')} check(s) failed: apply the fixes above and rerun`);
  }
}

if (import.meta.main) await runCommand(SCOPE, main);
