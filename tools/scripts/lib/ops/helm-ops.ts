/**
 * The Helm calls of the operations commands. Argument lists are pure and follow lib/helm.ts
 * (Helm 4's `--wait` takes a strategy; Helm 3's is a switch); `runHelm` is the thin shell.
 */
import { $ } from 'zx/core';
import { UserError } from '../command.ts';
import { type HelmVersion, waitFlag } from '../helm.ts';

export type ReleaseRef = { release: string; namespace: string; context: string };

/**
 * This release in any state (failed and pending too), as JSON. Helm 4 lists every state by
 * default and has no `--all`; Helm 3 needs it.
 */
export function listArgs(version: HelmVersion, ref: ReleaseRef): string[] {
  return [
    'list',
    '--namespace',
    ref.namespace,
    '--kube-context',
    ref.context,
    ...(version.major >= 4 ? [] : ['--all']),
    '--filter',
    `^${ref.release}$`,
    '--output',
    'json',
  ];
}

export function uninstallArgs(
  version: HelmVersion,
  ref: ReleaseRef & { timeoutSeconds: number },
): string[] {
  return [
    'uninstall',
    ref.release,
    '--namespace',
    ref.namespace,
    '--kube-context',
    ref.context,
    waitFlag(version),
    '--timeout',
    `${ref.timeoutSeconds}s`,
  ];
}

export function historyArgs(ref: ReleaseRef): string[] {
  return [
    'history',
    ref.release,
    '--namespace',
    ref.namespace,
    '--kube-context',
    ref.context,
    '--max',
    '5',
  ];
}

/** Runs helm quietly; a failure is one line with Helm's own last message. */
export async function runHelm(args: string[]): Promise<string> {
  const result = await $({ quiet: true, nothrow: true })`helm ${args}`;
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split('\n').pop() || `exit ${result.exitCode}`;
    throw new UserError(`helm ${args[0]} ${args[1] ?? ''} failed: ${reason}`);
  }
  return result.stdout;
}
