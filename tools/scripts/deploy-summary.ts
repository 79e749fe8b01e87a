/**
 * `npx nx run infra:deploy`, last step: after Nx has built, loaded, deployed and smoke-tested
 * (each step a dependency of this one), prints what happened in this run and why, and writes
 * the same as dist/deploy-report.json. It changes nothing and asks the cluster nothing.
 * Nx runs it through deploy-summary.sh, which asks the workspace's state server for the same
 * text first (no Node start, the last step of every deploy).
 */
import { runCommand } from './lib/command.ts';
import { deploySummary, invocationId } from './lib/report.ts';

if (import.meta.main) {
  await runCommand('deploy', async () => {
    process.stdout.write(await deploySummary(invocationId()));
  });
}
