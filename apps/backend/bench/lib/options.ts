/** The command line: flags win over BENCH_* environment variables, which win over the defaults. */
import { parseArgs } from 'node:util';
import { messageOf } from './format.ts';
import {
  isScenarioName,
  type LoadSettings,
  SCENARIO_NAMES,
  type ScenarioName,
} from './scenarios.ts';

export const USAGE = `Usage: node apps/backend/bench/bench.ts [options]

Options (environment variable in brackets):
  -c, --connections N   concurrent HTTP connections per scenario [BENCH_CONNECTIONS] (default 10)
  -d, --duration S      measured seconds per scenario [BENCH_DURATION] (default 10)
  -w, --warmup S        unmeasured warm-up seconds before each scenario [BENCH_WARMUP] (default 3)
  -s, --scenarios LIST  comma-separated: get, post [BENCH_SCENARIOS] (default get,post)
      --pool-max N      backend DATABASE_POOL_MAX [BENCH_POOL_MAX] (default: the backend's, 10)
      --node-args=ARGS  extra node flags for the backend, e.g. --node-args=--cpu-prof [BENCH_NODE_ARGS]
  -h, --help            this text

BENCH_DATABASE_URL   use this PostgreSQL (superuser or owner URL) instead of a throwaway server;
                     the run migrates it and leaves a benchmark user with its tasks behind.`;

export interface Parameters extends LoadSettings {
  scenarios: ScenarioName[];
  poolMax: number | undefined;
  nodeArgs: string[];
}

class UsageError extends Error {}

/** The run's parameters; prints the usage and exits on --help (0) and on bad flags (2). */
export function readParameters(): Parameters {
  try {
    const parameters = parseParameters(process.argv.slice(2), process.env);
    if (parameters !== 'help') return parameters;
    console.log(USAGE);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

export function parseParameters(args: string[], env: NodeJS.ProcessEnv): Parameters | 'help' {
  const flags = parseFlags(args);
  if (flags.help) return 'help';
  const scenarios = (flags.scenarios ?? env.BENCH_SCENARIOS ?? 'get,post')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of scenarios) {
    if (!isScenarioName(name)) {
      throw new UsageError(`unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(', ')})`);
    }
  }
  return {
    connections: integer('--connections', flags.connections ?? env.BENCH_CONNECTIONS, 10, 1),
    durationSeconds: integer('--duration', flags.duration ?? env.BENCH_DURATION, 10, 1),
    warmupSeconds: integer('--warmup', flags.warmup ?? env.BENCH_WARMUP, 3, 0),
    scenarios: [...new Set(scenarios as ScenarioName[])],
    poolMax: integer('--pool-max', flags['pool-max'] ?? env.BENCH_POOL_MAX, undefined, 1),
    nodeArgs: (flags['node-args'] ?? env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  };
}

/** One line for the progress log. */
export function describeParameters(p: Parameters): string {
  return (
    `scenarios ${p.scenarios.join(',')}, ${p.connections} connections, ` +
    `${p.warmupSeconds} s warm-up + ${p.durationSeconds} s each` +
    (p.poolMax ? `, pool max ${p.poolMax}` : '') +
    (p.nodeArgs.length ? `, backend node args ${p.nodeArgs.join(' ')}` : '')
  );
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        connections: { type: 'string', short: 'c' },
        duration: { type: 'string', short: 'd' },
        warmup: { type: 'string', short: 'w' },
        scenarios: { type: 'string', short: 's' },
        'pool-max': { type: 'string' },
        'node-args': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

function integer<Fallback extends number | undefined>(
  flag: string,
  raw: string | undefined,
  fallback: Fallback,
  min: number,
): number | Fallback {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${flag} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}
