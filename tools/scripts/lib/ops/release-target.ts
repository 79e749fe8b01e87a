/**
 * The release an operations command acts on: settings, a reachable cluster, and the Helm
 * release as `helm list` reports it.
 */
import type { HelmVersion } from '../helm.ts';
import type { Kube } from '../kube.ts';
import { step } from '../log.ts';
import type { Detection } from '../providers/detect.ts';
import { loadSettings, type Settings } from '../settings.ts';
import { targetCluster } from '../target-cluster.ts';
import { listArgs, type ReleaseRef, runHelm } from './helm-ops.ts';
import { findRelease, type HelmListEntry } from './release-view.ts';

export type ReleaseTarget = {
  settings: Settings;
  kube: Kube;
  detection: Detection;
  ref: ReleaseRef;
};

export async function releaseTarget(scope: string): Promise<ReleaseTarget> {
  const settings = loadSettings();
  const cluster = await step(scope, 'connect to the cluster', () => targetCluster(settings));
  return {
    settings,
    kube: cluster.kube,
    detection: cluster.detection,
    ref: {
      release: settings.release,
      namespace: settings.namespace,
      context: cluster.kube.context,
    },
  };
}

export async function installedRelease(
  version: HelmVersion,
  ref: ReleaseRef,
): Promise<HelmListEntry | undefined> {
  return findRelease(await runHelm(listArgs(version, ref)), ref.release);
}

/** Arguments for a kubectl that streams (logs, port-forward): the context, no request timeout. */
export function streamingKubectl(kube: Kube, args: string[]): string[] {
  return ['--context', kube.context, ...args];
}
