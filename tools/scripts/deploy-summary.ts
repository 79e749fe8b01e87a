/**
 * `npx nx run infra:deploy`, last step: after Nx has built, loaded, deployed and smoke-tested
 * (each step a dependency of this one), prints what happened in this run and why, and writes
 * the same as dist/deploy-report.json. It changes nothing itself.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runCommand } from './lib/command.ts';
import { componentService } from './lib/port-forward.ts';
import { invocationId, REPORT_PATH, readStepRecords, summarize } from './lib/report.ts';
import { loadSettings } from './lib/settings.ts';
import { targetCluster } from './lib/target-cluster.ts';

const SCOPE = 'deploy';

/** How to reach the frontend: always the port-forward, plus the NodePort where there is one. */
async function accessHints(): Promise<string[]> {
  const settings = loadSettings();
  const { kube, detection } = await targetCluster(settings);
  const service = await componentService(kube, settings.namespace, settings.release, 'frontend');
  const hints = ['npx nx run infra:port-forward   # then open http://127.0.0.1:8080'];
  const nodePort = await kube.tryRun([
    'get',
    'service',
    service.name,
    '--namespace',
    settings.namespace,
    '-o',
    'jsonpath={.spec.ports[0].nodePort}',
  ]);
  if (nodePort?.trim()) {
    hints.push(
      detection.provider === 'minikube'
        ? `minikube -p ${detection.cluster ?? 'minikube'} service ${service.name} -n ${settings.namespace} --url`
        : `http://127.0.0.1:${nodePort.trim()}   # NodePort, where the node's ports reach this machine`,
    );
  }
  return hints;
}

async function main(): Promise<void> {
  const lines = summarize(await readStepRecords(), invocationId());
  const width = Math.max(...lines.map((line) => line.task.length), 4);
  console.log(`\n[${SCOPE}] summary`);
  for (const line of lines) {
    console.log(
      `  ${line.task.padEnd(width)}  ${line.outcome.padEnd(9)} ${line.seconds.padStart(5)} s  ${line.reason}`,
    );
  }
  const urls = await accessHints().catch(() => [] as string[]);
  for (const url of urls) console.log(`  open: ${url}`);
  await mkdir(dirname(REPORT_PATH), { recursive: true });
  await writeFile(
    REPORT_PATH,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), steps: lines, urls }, null, 2)}\n`,
  );
  console.log(`  report: dist/deploy-report.json`);
}

if (import.meta.main) await runCommand(SCOPE, main);
