/**
 * Helm 3 and Helm 4 take different flags for the same intent (Helm 4 renamed `--atomic` to
 * `--rollback-on-failure` and made `--wait` take a strategy). `upgradeArgs` is the pure
 * decision; `helmVersion` and `helm` are thin shells around the CLI.
 */
import { $ } from 'zx/core';
import { UserError } from './command.ts';

export type HelmVersion = { major: number; minor: number; text: string };

export class HelmError extends UserError {}

/** Parses `helm version --short` output such as `v4.1.4+g05fa379` or `v3.14.2+gc309b6f`. */
export function parseHelmVersion(text: string): HelmVersion {
  const match = /v(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) throw new HelmError(`cannot read the helm version from "${text.trim()}"`);
  return { major: Number(match[1]), minor: Number(match[2]), text: match[0] };
}

export async function helmVersion(): Promise<HelmVersion> {
  const result = await $({ quiet: true, nothrow: true })`helm version --short`;
  if (result.exitCode !== 0) {
    throw new HelmError(
      'helm not found: install Helm 3.13+ or 4 (https://helm.sh/docs/intro/install/) and retry',
    );
  }
  const version = parseHelmVersion(result.stdout);
  if (version.major < 3 || (version.major === 3 && version.minor < 13)) {
    throw new HelmError(
      `helm ${version.text} is too old: the pipeline needs 3.13+ (release labels)`,
    );
  }
  return version;
}

/** Helm 4's `--wait` takes a strategy (watcher: kstatus-based); Helm 3's is a switch. Pure. */
export function waitFlag(version: HelmVersion): string {
  return version.major >= 4 ? '--wait=watcher' : '--wait';
}

export type UpgradeOptions = {
  release: string;
  chart: string;
  namespace: string;
  context: string;
  /** The chart's overrides then the pipeline's generated values (typed, no secrets). */
  valuesFiles: string[];
  /** Labels stored on the release record itself, read back to know what is deployed. */
  labels: Record<string, string>;
  timeoutSeconds: number;
  /**
   * Replace the release's objects instead of applying them: what restores objects changed by
   * hand, since an apply (server-side, or Helm's three-way merge) keeps the fields another
   * manager set. Helm 4 replaces only client-side.
   */
  restore?: boolean;
};

/**
 * Helm 4 applies server-side, and the API server then rejects an unknown or misplaced field
 * itself (field validation Strict). Helm's own check against the OpenAPI schema repeats that
 * and cost 0.7 s of every upgrade on the test machine, so it is skipped there; forcing
 * server-side apply keeps the server's check for releases a Helm 3 made client-side, where
 * an unknown field would be silently dropped. Helm 3 keeps its schema check. Pure.
 */
function validationFlags(version: HelmVersion, restore: boolean): string[] {
  if (version.major < 4) return restore ? ['--force'] : [];
  return [
    ...(restore ? ['--server-side=false', '--force-replace'] : ['--server-side=true']),
    '--disable-openapi-validation',
  ];
}

/** `helm upgrade --install` that waits for readiness and rolls back on failure. Pure. */
export function upgradeArgs(version: HelmVersion, options: UpgradeOptions): string[] {
  const safety = [version.major >= 4 ? '--rollback-on-failure' : '--atomic', waitFlag(version)];
  return [
    'upgrade',
    '--install',
    options.release,
    options.chart,
    '--namespace',
    options.namespace,
    '--kube-context',
    options.context,
    ...options.valuesFiles.flatMap((file) => ['--values', file]),
    '--labels',
    Object.entries(options.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(','),
    ...safety,
    ...validationFlags(version, options.restore ?? false),
    '--wait-for-jobs',
    '--timeout',
    `${options.timeoutSeconds}s`,
  ];
}

/** `helm template` of what `upgradeArgs` would install (no cluster access). Pure. */
export function templateArgs(options: {
  release: string;
  chart: string;
  namespace: string;
  valuesFiles: string[];
}): string[] {
  return [
    options.release,
    options.chart,
    '--namespace',
    options.namespace,
    ...options.valuesFiles.flatMap((file) => ['--values', file]),
  ];
}

/** `helm rollback` to the previous (or a given) revision, waiting the same way. Pure. */
export function rollbackArgs(
  version: HelmVersion,
  options: {
    release: string;
    namespace: string;
    context: string;
    revision?: number;
    timeoutSeconds: number;
  },
): string[] {
  return [
    'rollback',
    options.release,
    ...(options.revision === undefined ? [] : [String(options.revision)]),
    '--namespace',
    options.namespace,
    '--kube-context',
    options.context,
    waitFlag(version),
    '--timeout',
    `${options.timeoutSeconds}s`,
  ];
}
