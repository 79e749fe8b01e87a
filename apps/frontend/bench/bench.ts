/**
 * Latency of the production frontend (the standalone server) next to a real backend:
 *
 *   node apps/frontend/bench/bench.ts [--connections 10] [--duration 10] [--warmup 3]
 *
 * Builds nothing: `npx nx run frontend:bench` builds both apps first. Starts the backend on a
 * throwaway embedded database and the frontend pointed at it, both on 127.0.0.1, then drives
 * each scenario with autocannon and reports p50/p95/p99 from every response's own latency.
 * Also prints the first-load JavaScript recorded by the build. Results go to
 * test-results/bench/results.json; the exit code is non-zero only on errors or non-2xx
 * answers, budget misses are reported. See ../BENCHMARKS.md.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { kB, type PageWeight } from '../scripts/first-load-js.ts';
import { type Service, startBackend, startFrontend } from '../test/support/servers.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(projectRoot, 'test-results', 'bench');

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', short: 'c', default: '10' },
    duration: { type: 'string', short: 'd', default: '10' },
    warmup: { type: 'string', short: 'w', default: '3' },
  },
});
const connections = Number(flags.connections);
const duration = Number(flags.duration);
const warmup = Number(flags.warmup);

interface Scenario {
  title: string;
  url: (frontend: Service, backend: Service) => string;
  /** p95 budget in milliseconds, where the issue sets one. */
  maxP95Ms?: number;
}

const SCENARIOS: Scenario[] = [
  { title: 'GET / (landing page)', url: (f) => `${f.url}/`, maxP95Ms: 100 },
  { title: 'GET /tasks (tasks page)', url: (f) => `${f.url}/tasks`, maxP95Ms: 100 },
  { title: 'GET /healthz', url: (f) => `${f.url}/healthz` },
  { title: 'GET /api/tasks through the proxy', url: (f) => `${f.url}/api/tasks?limit=20` },
  { title: 'GET /api/tasks on the backend', url: (_f, b) => `${b.url}/api/tasks?limit=20` },
];

interface Result {
  title: string;
  requests: number;
  non2xx: number;
  errors: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  maxP95Ms?: number;
}

function percentile(sorted: number[], p: number) {
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return Math.round((value ?? 0) * 10) / 10;
}

async function drive(url: string, headers: Record<string, string>, seconds: number) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, connections, duration: seconds }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  return { result, latencies: latencies.sort((a, b) => a - b) };
}

/** A signed-in user with 20 tasks, so the API scenarios return a realistic page. */
async function seed(frontend: Service): Promise<Record<string, string>> {
  const signup = await fetch(`${frontend.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'bench password' }),
  });
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.status}`);
  const cookie = signup.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  for (let i = 1; i <= 20; i++) {
    await fetch(`${frontend.url}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ title: `Benchmark task ${i}`, priority: 'medium' }),
    });
  }
  // Browsers ask for compressed answers, which costs the server time; so does the benchmark.
  return { cookie, 'accept-encoding': 'gzip, deflate, br' };
}

const dataDir = await mkdtemp(join(tmpdir(), 'frontend-bench-'));
let backend: Service | undefined;
let frontend: Service | undefined;
const results: Result[] = [];
try {
  backend = await startBackend(dataDir);
  frontend = await startFrontend(backend.url);
  const headers = await seed(frontend);
  for (const scenario of SCENARIOS) {
    const url = scenario.url(frontend, backend);
    if (warmup > 0) await drive(url, headers, warmup);
    const { result, latencies } = await drive(url, headers, duration);
    results.push({
      title: scenario.title,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      requestsPerSecond: Math.round(result.requests.average),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      ...(scenario.maxP95Ms !== undefined && { maxP95Ms: scenario.maxP95Ms }),
    });
  }
} finally {
  await frontend?.stop();
  await backend?.stop();
  await rm(dataDir, { recursive: true, force: true });
}

const weights = JSON.parse(
  await readFile(join(projectRoot, '.next', 'first-load-js.json'), 'utf8'),
) as PageWeight[];

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, node ${process.version}`;
console.log(`\nfrontend bench: ${connections} connections, ${duration} s per scenario, ${machine}`);
console.log('| scenario | req/s | p50 ms | p95 ms | p99 ms | non-2xx | budget |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of results) {
  const budget =
    r.maxP95Ms === undefined
      ? ''
      : `p95 ≤ ${r.maxP95Ms} ms: ${r.p95 <= r.maxP95Ms ? 'met' : 'MISSED'}`;
  console.log(
    `| ${r.title} | ${r.requestsPerSecond} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.non2xx + r.errors} | ${budget} |`,
  );
}
console.log('\n| page | first-load JS (gzip) | budget |');
console.log('| --- | ---: | --- |');
for (const w of weights) {
  console.log(
    `| ${w.route} | ${kB(w.gzipBytes)} | ≤ 200 kB: ${w.gzipBytes <= 200_000 ? 'met' : 'MISSED'} |`,
  );
}

await mkdir(outDir, { recursive: true });
await writeFile(
  join(outDir, 'results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, connections, duration, results, weights }, null, 2)}\n`,
);
if (results.some((r) => r.non2xx + r.errors > 0)) {
  console.error('some requests failed; see the non-2xx column');
  process.exit(1);
}
