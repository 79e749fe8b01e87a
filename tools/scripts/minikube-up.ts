/**
 * `npx nx run infra:cluster-up`: a Minikube cluster the deploy can use, for users who have
 * none. Idempotent: a running profile is never restarted (that takes a minute and would fail
 * on a changed CPU or memory size); only missing addons are enabled. Behind a proxy,
 * HTTP(S)_PROXY and NO_PROXY reach the node's container runtime (`--docker-env`) so it can pull
 * images, and NO_PROXY gains minikube's own networks so minikube can reach its node.
 *
 * Usage: node tools/scripts/minikube-up.ts
 *   env MINIKUBE_PROFILE (default minikube), MINIKUBE_CPUS (2), MINIKUBE_MEMORY (4096, MB)
 */
import { $ } from 'zx/core';
import { runCommand, UserError } from './lib/command.ts';
import { info, step } from './lib/log.ts';
import {
  DEFAULT_PROFILE,
  minikubeResources,
  parseAddons,
  parseMinikubeStatus,
  planClusterUp,
  proxySettings,
  startArgs,
} from './lib/ops/minikube.ts';
import { loadSettings } from './lib/settings.ts';

const SCOPE = 'cluster-up';
const quiet = { quiet: true, nothrow: true } as const;

/** Streams minikube's own progress; a failure points at it and at the way out. */
async function minikube(
  profile: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const result = await $({ stdio: 'inherit', nothrow: true, env })`minikube ${args}`;
  if (result.exitCode !== 0) {
    throw new UserError(
      `minikube ${args[0]} failed (exit ${result.exitCode}), its output is above; if profile ${profile} is broken: \`minikube delete -p ${profile}\` and retry`,
    );
  }
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const profile = settings.minikubeProfile ?? DEFAULT_PROFILE;
  const resources = minikubeResources(process.env);
  const proxy = proxySettings(process.env);
  if ((await $(quiet)`command -v minikube`).exitCode !== 0) {
    throw new UserError(
      'minikube not found: install it (https://minikube.sigs.k8s.io/docs/start/) and retry',
    );
  }

  const status = parseMinikubeStatus(
    (await $(quiet)`minikube status -p ${profile} -o json`).stdout,
    profile,
  );
  const addons = status.running
    ? parseAddons((await $(quiet)`minikube addons list -p ${profile} -o json`).stdout || '{}')
    : undefined;
  const plan = planClusterUp(status, addons);
  info(SCOPE, plan.reason);

  if (plan.action === 'start') {
    if (proxy.dockerEnv.length) {
      info(SCOPE, `proxy: passing ${Object.keys(proxy.processEnv).join(', ')} to minikube`);
    }
    await step(
      SCOPE,
      `minikube start -p ${profile} (${resources.cpus} CPUs, ${resources.memoryMb} MB)`,
      () =>
        minikube(profile, startArgs(profile, resources, proxy), {
          ...process.env,
          ...proxy.processEnv,
        }),
    );
  } else if (plan.action === 'enable-addons') {
    for (const addon of plan.addons) {
      await step(SCOPE, `minikube addons enable ${addon}`, () =>
        minikube(profile, ['addons', 'enable', addon, '-p', profile]),
      );
    }
  }
  info(SCOPE, `kube context ${profile} is ready; next: npx nx run infra:doctor`);
}

if (import.meta.main) await runCommand(SCOPE, main);
