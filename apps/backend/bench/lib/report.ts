/** The tables on the console and results.json. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { relative } from 'node:path';
import { promisify } from 'node:util';
import type { Database } from './database.ts';
import { formatInt, formatMs } from './format.ts';
import type { Parameters } from './options.ts';
import { backendLogFile, backendRoot, resultsFile } from './paths.ts';
import { type ScenarioResult, SEED_TASKS } from './scenarios.ts';

const execFileAsync = promisify(execFile);

/** Above this many cores used by other processes, the measurement was not on a quiet machine. */
const NOISY_OTHER_CORES = 0.25;

export function printScenario(r: ScenarioResult): void {
  const rows: [string, string][] = [
    [
      'requests/s (mean ± sd)',
      `${formatInt(r.requestsPerSecond.mean)} ± ${formatInt(r.requestsPerSecond.stddev)}`,
    ],
    ['latency p50', `${formatMs(r.latencyMs.p50)} ms`],
    ['latency p90', `${formatMs(r.latencyMs.p90)} ms`],
    ['latency p99', `${formatMs(r.latencyMs.p99)} ms`],
    ['latency max', `${formatMs(r.latencyMs.max)} ms`],
    ['requests (total)', formatInt(r.totalRequests)],
    ['non-2xx responses', formatInt(r.non2xx)],
    ['errors (of which timeouts)', `${formatInt(r.errors)} (${formatInt(r.timeouts)})`],
    ['throughput', `${(r.throughputBytesPerSecond / 1e6).toFixed(1)} MB/s`],
  ];
  if (r.cpu) {
    rows.push(
      [`CPU used, of ${r.cpu.cores} cores: backend`, r.cpu.backend.toFixed(2)],
      ['  postgres', r.cpu.postgres.toFixed(2)],
      ['  load generator (autocannon)', r.cpu.loadGenerator.toFixed(2)],
      ['  other processes', r.cpu.other.toFixed(2)],
      ['  idle', r.cpu.idle.toFixed(2)],
      ['backend CPU per request', `${r.backendCpuMicrosPerRequest ?? '?'} µs`],
    );
  }
  if (r.warmup.non2xx || r.warmup.errors) {
    rows.push(['warm-up non-2xx / errors', `${r.warmup.non2xx} / ${r.warmup.errors}`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  const rule = `  ${'-'.repeat(width + valueWidth + 3)}`;
  console.log(`\n  ${r.title}`);
  console.log(
    `  ${r.connections} connections, ${r.durationSeconds.toFixed(1)} s measured after ${r.warmupSeconds} s warm-up`,
  );
  console.log(rule);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}   ${v.padStart(valueWidth)}`);
  console.log(rule);
  if (!r.budget.length) console.log('  budget: none (reported only)');
  for (const line of r.budget) {
    console.log(
      `  budget: ${line.check.padEnd(28)} actual ${line.actual.padStart(9)}   ${line.pass ? 'PASS' : 'FAIL  <<<'}`,
    );
  }
  if (r.cpu && r.cpu.other > NOISY_OTHER_CORES) {
    console.log(
      `  !!! other processes used ${r.cpu.other.toFixed(2)} cores during the measurement: the machine was not quiet, numbers are low`,
    );
  }
  if (r.non2xx || r.errors) {
    console.log(
      `  !!! ${r.non2xx} non-2xx responses and ${r.errors} errors: status codes ${JSON.stringify(r.statusCodes)}`,
    );
  }
  console.log('');
}

export type Results = Awaited<ReturnType<typeof collectResults>>;

export async function collectResults(run: {
  params: Parameters;
  database: Database;
  backendEnv: NodeJS.ProcessEnv;
  getResponseBytes: number;
  scenarios: ScenarioResult[];
}) {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    commit: await gitCommit(),
    machine: {
      os: `${os.type()} ${os.release()} (${os.platform()} ${os.arch()})`,
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
      totalMemoryBytes: os.totalmem(),
      totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      loadAverageAtEnd: os.loadavg(),
      node: process.version,
      postgres: run.database.version,
    },
    parameters: {
      ...run.params,
      seedTasks: SEED_TASKS,
      database: run.database.source,
      backend: {
        NODE_ENV: run.backendEnv.NODE_ENV,
        LOG_LEVEL: run.backendEnv.LOG_LEVEL,
        DATABASE_POOL_MAX: run.backendEnv.DATABASE_POOL_MAX ?? '(default)',
      },
      getResponseBytes: run.getResponseBytes,
    },
    scenarios: run.scenarios,
  };
}

export async function writeResults(results: Results): Promise<void> {
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
}

export function printSummary({ machine, scenarios }: Results): void {
  console.log('Summary');
  for (const r of scenarios) {
    const budget = r.budget.length
      ? r.budget.map((l) => `${l.pass ? 'PASS' : 'FAIL'} ${l.check}`).join('; ')
      : 'no budget';
    console.log(
      `  ${r.name.padEnd(5)} ${formatInt(r.requestsPerSecond.mean).padStart(7)} req/s  p50 ${formatMs(r.latencyMs.p50)} ms  p99 ${formatMs(r.latencyMs.p99)} ms  non-2xx ${r.non2xx}  errors ${r.errors}  | ${budget}`,
    );
  }
  console.log(
    `  machine: ${machine.cpuCount} x ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, ` +
      `${machine.os}, Node ${machine.node}, PostgreSQL ${machine.postgres}`,
  );
  console.log(
    `  results: ${relative(process.cwd(), resultsFile)}   backend log: ${relative(process.cwd(), backendLogFile)}`,
  );
  const misses = scenarios.flatMap((r) =>
    r.budget.filter((l) => !l.pass).map((l) => `${r.name}: ${l.check}`),
  );
  if (misses.length) {
    console.log(`  BUDGET MISSED (not a failure of the run): ${misses.join('; ')}`);
  }
}

async function gitCommit(): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: backendRoot,
    });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
