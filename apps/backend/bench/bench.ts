/**
 * HTTP load benchmark of the bundled backend (dist/) against a real PostgreSQL. Starts the
 * database (or uses BENCH_DATABASE_URL) and one `node dist/main.js`, seeds a user with tasks,
 * drives it with autocannon on 127.0.0.1, then prints the results and writes
 * dist/bench/results.json. Budget misses are reported but do not fail the run; errors and
 * non-2xx responses do. See ../BENCHMARKS.md, and --help for the flags.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { freePort } from '@todo/test-support/free-port';
import {
  type Backend,
  backendEnv,
  buildState,
  runMigrations,
  startBackend,
  waitUntilReady,
} from './lib/backend-process.ts';
import { type Database, openDatabase } from './lib/database.ts';
import { formatDuration, formatInt, messageOf } from './lib/format.ts';
import { Cleanups, elapsedMs, handleInterrupts, interrupted, log, phase } from './lib/lifecycle.ts';
import { describeParameters, readParameters } from './lib/options.ts';
import { backendLogFile, dist, outDir } from './lib/paths.ts';
import { collectResults, printScenario, printSummary, writeResults } from './lib/report.ts';
import {
  hasErrors,
  runScenario,
  SCENARIOS,
  type ScenarioResult,
  SEED_TASKS,
} from './lib/scenarios.ts';
import { seedUser, verifyPage } from './lib/seed.ts';

const params = readParameters();
handleInterrupts();
const cleanups = new Cleanups();

async function main(): Promise<number> {
  const build = await buildState();
  if (build === 'missing') {
    throw new Error(
      `${relative(process.cwd(), dist)}/main.js is missing: build first with \`npx nx run backend:build\` (or node apps/backend/scripts/build.ts)`,
    );
  }
  if (build === 'stale') {
    log('warning: src/ changed after dist/ was built; the numbers are for the older build');
  }
  log(`parameters: ${describeParameters(params)}`);

  await mkdir(outDir, { recursive: true });
  const workDir = await mkdtemp(join(os.tmpdir(), 'todo-bench-'));
  cleanups.add('removed the work directory', () => rm(workDir, { recursive: true, force: true }));
  const database = await openDatabase(process.env.BENCH_DATABASE_URL, cleanups);

  const port = await freePort();
  const env = backendEnv(database.url, port, params.poolMax);
  const migrated = await phase('running dist/migrate.js', () =>
    runMigrations(env, workDir, interrupted),
  );
  if (migrated) log(`  ${migrated.split('\n').at(-1)}`);

  const backend = startBackend({
    env,
    port,
    nodeArgs: params.nodeArgs,
    cwd: workDir,
    logFile: backendLogFile,
  });
  cleanups.add('stopped the backend', backend.stop);
  try {
    await phase(`starting the backend (node dist/main.js) on 127.0.0.1:${port}`, () =>
      waitUntilReady(backend, 30_000, interrupted),
    );
    return await benchmark(backend, database, env);
  } catch (error) {
    if (interrupted.aborted) throw error;
    throw new Error(
      `${messageOf(error)}\nBackend output tail (${relative(process.cwd(), backendLogFile)}):\n` +
        `${backend.stderrTail() || backend.stdoutTail() || '(empty)'}`,
    );
  }
}

/** Seeds the data, runs the scenarios and reports them; returns the exit code. */
async function benchmark(
  backend: Backend,
  database: Database,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const token = await phase(`signing up a user and creating ${SEED_TASKS} tasks`, () =>
    seedUser(backend.url, SEED_TASKS, interrupted),
  );
  const listPath = SCENARIOS.get.path;
  const getResponseBytes = await verifyPage(backend.url, listPath, token, SEED_TASKS, interrupted);
  log(
    `verified: GET ${listPath} returns ${SEED_TASKS} items (${formatInt(getResponseBytes)} bytes)`,
  );

  // A backend that dies under load fails the run at once instead of after the window.
  const stopLoad = AbortSignal.any([interrupted, backend.ended]);
  const watch = { backend: backend.pid, postmaster: database.postmaster };
  const scenarios: ScenarioResult[] = [];
  for (const name of params.scenarios) {
    const scenario = SCENARIOS[name];
    const result = await phase(`scenario ${name}: ${scenario.title}`, () =>
      runScenario(scenario, { url: backend.url, token }, params, watch, stopLoad),
    );
    if (backend.ended.aborted) {
      throw new Error(`the backend ${backend.ended.reason} during scenario ${name}`);
    }
    printScenario(result);
    scenarios.push(result);
  }

  const results = await collectResults({
    params,
    database,
    backendEnv: env,
    getResponseBytes,
    scenarios,
  });
  await writeResults(results);
  printSummary(results);

  const failed = scenarios.filter(hasErrors);
  if (!failed.length) return 0;
  console.error(
    `FAILED: non-2xx responses or errors in ${failed.map((r) => r.name).join(', ')}. ` +
      `Backend stderr tail:\n${backend.stderrTail() || '(empty)'}`,
  );
  return 1;
}

let exitCode: number;
try {
  exitCode = await main();
} catch (error) {
  exitCode = interrupted.aborted ? 130 : 1;
  console.error(interrupted.aborted ? 'interrupted' : `\nbenchmark failed: ${messageOf(error)}`);
} finally {
  await cleanups.run();
}
log(`finished in ${formatDuration(elapsedMs())}`);
process.exit(exitCode);
