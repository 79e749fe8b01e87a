/**
 * Builds the cluster's Go programs from the wrapper modules under test/cluster/go with the
 * Go toolchain and the Go module proxy. Output is cached per Kubernetes version outside the
 * repository; a stamp next to each binary records what it was built from, so a warm start
 * costs a few file hashes and an edit to a wrapper module triggers a rebuild.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { info, step } from '@todo/scripts/lib/log.ts';
import { $ } from 'zx';
import { binDir, K8S_VERSION, SCOPE } from './config.ts';

const MODULES_DIR = join(import.meta.dirname, '..', 'go');
const VERSION_PKG = 'k8s.io/component-base/version';

export type GoProgram = {
  /** Folder under test/cluster/go holding the module. */
  module: string;
  /** Name of the binary in the cache folder. */
  binary: string;
  ldflags: string;
  /** The package to build, when it is not the module's own (a dependency's main package). */
  package?: string;
};

export const PROGRAMS: GoProgram[] = [
  {
    module: 'kube',
    binary: 'kube',
    // What `kubectl version` and the node's kubeletVersion report; the release build
    // stamps the same variables.
    ldflags: [
      '-s -w',
      `-X ${VERSION_PKG}.gitVersion=${K8S_VERSION}`,
      `-X ${VERSION_PKG}.gitMajor=${K8S_VERSION.split('.')[0]?.slice(1)}`,
      `-X ${VERSION_PKG}.gitMinor=${K8S_VERSION.split('.')[1]}`,
      `-X ${VERSION_PKG}.gitTreeState=clean`,
    ].join(' '),
  },
  { module: 'coredns', binary: 'coredns', ldflags: '-s -w' },
  { module: 'pause', binary: 'pause', ldflags: '-s -w' },
  { module: 'registry', binary: 'registry', ldflags: '-s -w' },
  // Not part of the cluster: the e2e suite runs `infra:ai` with it.
  {
    module: 'kubectl-ai',
    binary: 'kubectl-ai',
    ldflags: '-s -w',
    package: 'github.com/GoogleCloudPlatform/kubectl-ai/cmd',
  },
];

export function binaryPath(program: GoProgram): string {
  return join(binDir, program.binary);
}

/** Identifies a build: the module's sources, the toolchain and the link flags. */
export function buildStamp(sources: Record<string, string>, goVersion: string, ldflags: string) {
  const hash = createHash('sha256');
  for (const name of Object.keys(sources).sort()) hash.update(`${name}\0${sources[name]}\0`);
  hash.update(`${goVersion}\0${ldflags}`);
  return hash.digest('hex');
}

/** A build is reusable only when the binary exists and was built from the same inputs. */
export function needsBuild(
  binaryExists: boolean,
  recordedStamp: string | undefined,
  stamp: string,
) {
  return !binaryExists || recordedStamp !== stamp;
}

async function moduleSources(module: string): Promise<Record<string, string>> {
  const dir = join(MODULES_DIR, module);
  const names = (await readdir(dir)).filter((name) => /\.go$|^go\.(mod|sum)$/.test(name));
  const sources: Record<string, string> = {};
  for (const name of names) sources[name] = await readFile(join(dir, name), 'utf8');
  return sources;
}

async function goVersion(): Promise<string> {
  const probe = await $({ nothrow: true, quiet: true })`go env GOVERSION`;
  const version = probe.stdout.trim();
  const [major = 0, minor = 0] = version.replace(/^go/, '').split('.').map(Number);
  if (probe.exitCode !== 0 || major < 1 || (major === 1 && minor < 24)) {
    throw new Error(
      `Go >= 1.24 is needed to build Kubernetes ${K8S_VERSION} (found: ${version || 'none'}): install it from go.dev/dl or the Debian backports and put it on PATH`,
    );
  }
  return version;
}

/** Builds one program unless its cached binary is current; returns the binary's path. */
async function buildProgram(program: GoProgram, toolchain: string): Promise<string> {
  const output = binaryPath(program);
  const stampFile = `${output}.stamp`;
  const stamp = buildStamp(
    await moduleSources(program.module),
    toolchain,
    program.package ? `${program.ldflags} ${program.package}` : program.ldflags,
  );
  const recorded = existsSync(stampFile) ? (await readFile(stampFile, 'utf8')).trim() : undefined;
  if (!needsBuild(existsSync(output), recorded, stamp)) return output;

  await mkdir(dirname(output), { recursive: true });
  const log = join(binDir, `${program.binary}.build.log`);
  await step(SCOPE, `go build ${program.binary} (log: ${log})`, async () => {
    const partial = `${output}.partial`;
    // Static binaries: they run on the host and inside scratch images alike.
    const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
    // One compile per core (2 on the CI machine): more only adds memory pressure.
    const jobs = String(availableParallelism());
    const build = $({
      cwd: join(MODULES_DIR, program.module),
      env,
      quiet: true,
      nothrow: true,
    })`go build -v -p ${jobs} -trimpath -ldflags ${program.ldflags} -o ${partial} ${program.package ?? '.'} > ${log} 2>&1`;
    // `-v` lists each package as it is compiled: a heartbeat keeps a long cold build
    // (Kubernetes takes about 8 minutes on two cores) visibly alive.
    const started = Date.now();
    const heartbeat = setInterval(async () => {
      const packages = (await readFile(log, 'utf8').catch(() => '')).split('\n').length - 1;
      const minutes = ((Date.now() - started) / 60000).toFixed(1);
      info(SCOPE, `  still building ${program.binary}: ${minutes} min, ${packages} packages`);
    }, 60_000);
    try {
      const result = await build;
      if (result.exitCode !== 0) {
        const tail = (await readFile(log, 'utf8')).split('\n').slice(-30).join('\n');
        throw new Error(`go build ${program.binary} failed (full log: ${log}):\n${tail}`);
      }
    } finally {
      clearInterval(heartbeat);
    }
    await rename(partial, output);
    await writeFile(stampFile, `${stamp}\n`);
  });
  return output;
}

/** Builds every program that is not cached yet, one at a time (they share two cores). */
export async function buildPrograms(): Promise<void> {
  const toolchain = await goVersion();
  for (const program of PROGRAMS) await buildProgram(program, toolchain);
}
