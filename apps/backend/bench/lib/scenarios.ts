/** The scenarios and their budgets, and how one is measured with autocannon. */
import autocannon from 'autocannon';
import { type CpuUsage, cpuSnapshot, cpuUsage, type WatchedProcesses } from './cpu.ts';
import { formatInt, formatMs } from './format.ts';
import { phase } from './lifecycle.ts';

/** The benchmark user's tasks; the `get` scenario reads all of them as one page. */
export const SEED_TASKS = 50;

export type ScenarioName = 'get' | 'post';

interface Budget {
  minRequestsPerSecond?: number;
  maxP99Ms?: number;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  budget?: Budget;
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  get: {
    name: 'get',
    title: `GET /api/tasks?limit=${SEED_TASKS} (authenticated, ${SEED_TASKS} items)`,
    method: 'GET',
    path: `/api/tasks?limit=${SEED_TASKS}`,
    budget: { minRequestsPerSecond: 3000, maxP99Ms: 25 },
  },
  post: {
    name: 'post',
    title: 'POST /api/tasks (authenticated, JSON body)',
    method: 'POST',
    path: '/api/tasks',
    body: JSON.stringify({ title: 'Benchmark task', priority: 'high', dueDate: '2030-01-31' }),
  },
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export const isScenarioName = (name: string): name is ScenarioName =>
  Object.hasOwn(SCENARIOS, name);

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface BudgetLine {
  check: string;
  actual: string;
  pass: boolean;
}

export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  method: string;
  path: string;
  connections: number;
  pipelining: number;
  warmupSeconds: number;
  durationSeconds: number;
  requestsPerSecond: { mean: number; stddev: number; min: number; max: number };
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  totalRequests: number;
  responses2xx: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  throughputBytesPerSecond: number;
  warmup: { totalRequests: number; non2xx: number; errors: number };
  /** Average cores used during the measured window, by party. */
  cpu: CpuUsage | undefined;
  /**
   * Backend CPU time per request in microseconds: the cost of one request, which unlike
   * requests/s barely depends on what else runs on the machine.
   */
  backendCpuMicrosPerRequest: number | undefined;
  budget: BudgetLine[];
}

/**
 * Warm-up, then the measured window between two CPU snapshots. `stop` ends the load early;
 * what a cut-short result means is up to the caller.
 */
export async function runScenario(
  scenario: Scenario,
  target: { url: string; token: string },
  load: LoadSettings,
  watch: WatchedProcesses,
  stop: AbortSignal,
): Promise<ScenarioResult> {
  const options: autocannon.Options = {
    url: `${target.url}${scenario.path}`,
    method: scenario.method,
    connections: load.connections,
    pipelining: 1,
    timeout: 10,
    headers: {
      authorization: `Bearer ${target.token}`,
      ...(scenario.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(scenario.body !== undefined && { body: scenario.body }),
  };
  const warmup =
    load.warmupSeconds > 0
      ? await phase(`  warm-up ${load.warmupSeconds} s`, () =>
          fire({ ...options, duration: load.warmupSeconds }, stop),
        )
      : undefined;
  const before = await cpuSnapshot(watch);
  const measured = await phase(
    `  measure ${load.durationSeconds} s, ${load.connections} connections`,
    () => fire({ ...options, duration: load.durationSeconds }, stop),
  );
  const cpu = cpuUsage(before, await cpuSnapshot(watch));
  return summarize(scenario, load.warmupSeconds, warmup, measured, cpu);
}

function fire(options: autocannon.Options, stop: AbortSignal): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const halt = () => instance.stop();
    const instance = autocannon(options, (error, result) => {
      stop.removeEventListener('abort', halt);
      if (error) reject(error);
      else resolve(result);
    });
    if (stop.aborted) halt();
    else stop.addEventListener('abort', halt, { once: true });
  });
}

function summarize(
  scenario: Scenario,
  warmupSeconds: number,
  warmup: autocannon.Result | undefined,
  r: autocannon.Result,
  cpu: CpuUsage | undefined,
): ScenarioResult {
  const statusCodes = Object.fromEntries(
    Object.entries(r.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0]),
  );
  return {
    name: scenario.name,
    title: scenario.title,
    method: scenario.method,
    path: scenario.path,
    connections: r.connections,
    pipelining: r.pipelining,
    warmupSeconds,
    durationSeconds: r.duration,
    requestsPerSecond: {
      mean: r.requests.mean,
      stddev: r.requests.stddev,
      min: r.requests.min,
      max: r.requests.max,
    },
    latencyMs: {
      mean: r.latency.mean,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
    },
    totalRequests: r.requests.total,
    responses2xx: r['2xx'],
    non2xx: r.non2xx,
    statusCodes,
    errors: r.errors,
    timeouts: r.timeouts,
    throughputBytesPerSecond: r.throughput.mean,
    warmup: {
      totalRequests: warmup?.requests.total ?? 0,
      non2xx: warmup?.non2xx ?? 0,
      errors: warmup?.errors ?? 0,
    },
    cpu,
    backendCpuMicrosPerRequest:
      cpu && r.requests.total
        ? Math.round((cpu.backend * r.duration * 1e6) / r.requests.total)
        : undefined,
    budget: checkBudget(scenario.budget, r.requests.mean, r.latency.p99),
  };
}

function checkBudget(
  budget: Budget | undefined,
  requestsPerSecond: number,
  p99Ms: number,
): BudgetLine[] {
  const lines: BudgetLine[] = [];
  if (budget?.minRequestsPerSecond !== undefined) {
    lines.push({
      check: `requests/s (mean) >= ${budget.minRequestsPerSecond}`,
      actual: formatInt(requestsPerSecond),
      pass: requestsPerSecond >= budget.minRequestsPerSecond,
    });
  }
  if (budget?.maxP99Ms !== undefined) {
    lines.push({
      check: `latency p99 <= ${budget.maxP99Ms} ms`,
      actual: `${formatMs(p99Ms)} ms`,
      pass: p99Ms <= budget.maxP99Ms,
    });
  }
  return lines;
}

/** Any non-2xx response or error, warm-up included, fails the run; a missed budget does not. */
export const hasErrors = (r: ScenarioResult): boolean =>
  Boolean(r.non2xx || r.errors || r.warmup.non2xx || r.warmup.errors);
