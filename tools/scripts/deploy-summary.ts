/**
 * `npx nx run infra:deploy`, last step: after Nx has built, loaded, deployed and smoke-tested
 * (each step a dependency of this one), prints what happened in this run and why, and writes
 * the same as dist/deploy-report.json. It changes nothing and asks the cluster nothing: it
 * reads the steps' records (the URLs come from helm-deploy's), so it adds no wait to a run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runCommand } from './lib/command.ts';
import { invocationId, REPORT_PATH, readStepRecords, summarize } from './lib/report.ts';

const SCOPE = 'deploy';

async function main(): Promise<void> {
  const lines = summarize(await readStepRecords(), invocationId());
  const width = Math.max(...lines.map((line) => line.task.length), 4);
  console.log(`\n[${SCOPE}] summary`);
  for (const line of lines) {
    console.log(
      `  ${line.task.padEnd(width)}  ${line.outcome.padEnd(9)} ${line.seconds.padStart(5)} s  ${line.reason}`,
    );
  }
  const records = await readStepRecords();
  const urls = records.find((record) => record.task === 'infra:helm-deploy')?.urls ?? [];
  for (const url of urls) console.log(`  open: ${url}`);
  await mkdir(dirname(REPORT_PATH), { recursive: true });
  await writeFile(
    REPORT_PATH,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), steps: lines, urls }, null, 2)}\n`,
  );
  console.log(`  report: dist/deploy-report.json`);
}

if (import.meta.main) await runCommand(SCOPE, main);
