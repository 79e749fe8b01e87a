/**
 * `next build`, made reproducible (see reproducible.ts), then makes .next/standalone
 * self-contained (Next leaves .next/static and public/ for a CDN; server.js serves them only
 * when they sit beside it), replaces its node_modules with an archive, which Nx restores from
 * its cache (see standalone-modules.ts), and enforces the first-load JavaScript budget of the
 * pages.
 */
import { spawnSync } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstLoadJs, kB } from './first-load-js.ts';
import { deriveKeys, stabilizeBuild, workspaceSecret } from './reproducible.ts';
import { packStandaloneModules } from './standalone-modules.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const workspaceRoot = join(projectRoot, '..', '..');
const nextDir = join(projectRoot, '.next');
const serverDir = join(nextDir, 'standalone', relative(workspaceRoot, projectRoot));

/** Budgets in bytes of gzipped JavaScript (1 kB = 1000 bytes, as Next counted). */
const BUDGETS: Record<string, number> = {
  '/': 200_000,
  '/login': 200_000,
  '/signup': 200_000,
  '/tasks': 200_000,
  '/assistant': 200_000,
};

const keys = deriveKeys(await workspaceSecret(workspaceRoot));
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const build = spawnSync(process.execPath, [nextBin, 'build'], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: keys.serverActionsKey,
  },
});
if (build.status !== 0) process.exit(build.status ?? 1);
const { buildId, pathBound } = await stabilizeBuild({ nextDir, workspaceRoot, keys });
for (const file of pathBound) {
  console.warn(
    `warning: ${file} holds this checkout's absolute path; another checkout builds it differently`,
  );
}

await cp(join(nextDir, 'static'), join(serverDir, '.next', 'static'), { recursive: true });
await cp(join(projectRoot, 'public'), join(serverDir, 'public'), { recursive: true });
// The image optimizer is the only user of sharp, and images.unoptimized turns it off; Next still
// traces sharp (outputFileTracingExcludes does not reach its server trace under Turbopack).
for (const unused of ['sharp', '@img']) {
  await rm(join(nextDir, 'standalone', 'node_modules', unused), { recursive: true, force: true });
}
await packStandaloneModules();

const weights = await Promise.all(Object.keys(BUDGETS).map((route) => firstLoadJs(nextDir, route)));
await writeFile(join(nextDir, 'first-load-js.json'), `${JSON.stringify(weights, null, 2)}\n`);

console.log('\nFirst-load JavaScript (gzipped)');
let over = 0;
for (const { route, scripts, gzipBytes } of weights) {
  const budget = BUDGETS[route] ?? 0;
  const verdict = gzipBytes <= budget ? 'ok' : 'OVER BUDGET';
  if (gzipBytes > budget) over++;
  console.log(
    `  ${route.padEnd(12)} ${kB(gzipBytes).padStart(9)} in ${scripts} files (budget ${kB(budget)}) ${verdict}`,
  );
}
if (over) {
  console.error(`${over} page(s) over the first-load JavaScript budget`);
  process.exit(1);
}
console.log(`\nbuild id ${buildId} (a digest of the compiled output)`);
console.log(`standalone server: ${relative(workspaceRoot, join(serverDir, 'server.js'))}`);
