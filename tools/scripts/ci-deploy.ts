/**
 * `npm run ci:deploy`: the main-branch deploy of the CI definitions (.github/workflows,
 * .gitlab-ci.yml), and what the e2e suite runs on the test cluster. It deploys what changed
 * since the commit the cluster runs (deploy-affected.ts), with the cluster given as a CI
 * secret (KUBECONFIG_DATA) or made by the job (kind, DEPLOY_EPHEMERAL_CLUSTER=true), and leaves
 * the deploy report in dist/deploy-report.json (and each step's record in dist/deploy/steps)
 * for the job to keep as an artifact.
 *
 * With the team's Nx cache, a deploy that succeeded runs `npx nx run infra:deploy` once more:
 * with a shared cache the deploy steps key on the state they checked, never on a first
 * sighting (lib/deploy-state.ts), so it is this second run, finding every state good, that
 * uploads the entries other machines replay. It changes nothing on the cluster.
 *
 * Usage: node tools/scripts/ci-deploy.ts [nx options]   (deploy settings as for infra:deploy)
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { jwtSecretFor, kubeconfigText } from './lib/ci-deploy-env.ts';
import { runCommand } from './lib/command.ts';
import { sharedCache } from './lib/deploy-state.ts';
import { info } from './lib/log.ts';
import { REPORT_PATH } from './lib/report.ts';
import { loadSettings } from './lib/settings.ts';
import { runInherited } from './lib/shell.ts';
import { workspaceRoot } from './lib/workspace-root.ts';

const SCOPE = 'ci-deploy';

/** The environment of the deploy: the cluster and, for the job's own cluster, a JWT secret. */
async function deployEnvironment(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KUBECONFIG_DATA;
  const data = process.env.KUBECONFIG_DATA;
  if (data && existsSync(data)) {
    // GitLab's file variables hold the path of a file with the secret.
    env.KUBECONFIG = data;
    info(SCOPE, 'cluster: the kubeconfig file KUBECONFIG_DATA names');
  } else if (data) {
    const dir = await mkdtemp(join(tmpdir(), 'ci-deploy-'));
    env.KUBECONFIG = join(dir, 'kubeconfig');
    await writeFile(env.KUBECONFIG, kubeconfigText(data), { mode: 0o600 });
    info(SCOPE, 'cluster: the kubeconfig in KUBECONFIG_DATA');
  }
  const jwt = jwtSecretFor(
    Boolean(loadSettings(env).secrets.JWT_SECRET),
    env.DEPLOY_EPHEMERAL_CLUSTER === 'true',
  );
  if (jwt) {
    env.JWT_SECRET = jwt;
    info(SCOPE, "JWT_SECRET: a new one for this job's own cluster");
  }
  return env;
}

async function main(): Promise<void> {
  const env = await deployEnvironment();
  const nxOptions = process.argv.slice(2);
  // A report left by an earlier run would pass for this one's.
  await rm(REPORT_PATH, { force: true });
  const deployAffected = join(import.meta.dirname, 'deploy-affected.ts');
  const options = { cwd: workspaceRoot, env };
  process.exitCode = await runInherited(process.execPath, [deployAffected, ...nxOptions], options);
  const report = relative(workspaceRoot, REPORT_PATH);
  if (!existsSync(REPORT_PATH)) {
    info(
      SCOPE,
      `no ${report}: the deploy ended before its summary (each step's record is in dist/deploy/steps)`,
    );
    return;
  }
  if (process.exitCode === 0 && sharedCache(env)) {
    info(
      SCOPE,
      'publishing the checked state of every step to the shared Nx cache (a second run: nothing changes on the cluster)',
    );
    // The artifact is the report of the deploy, not of the run that publishes it.
    const kept = join(await mkdtemp(join(tmpdir(), 'ci-deploy-report-')), 'report.json');
    await copyFile(REPORT_PATH, kept);
    process.exitCode = await runInherited(
      'npx',
      ['nx', 'run', 'infra:deploy', ...nxOptions],
      options,
    );
    await copyFile(kept, REPORT_PATH);
  }
  info(SCOPE, `report: ${report}`);
}

if (import.meta.main) await runCommand(SCOPE, main);
