/**
 * The test cluster through the pipeline's own cluster layer (tools/scripts/lib/kube.ts), with
 * the project's pinned kubectl (v1.33) and the cluster's admin kubeconfig: what the cluster's
 * commands, its tests and the e2e suite read and change it with.
 */

import { connect, type Kube, type KubectlResult } from '@todo/scripts/lib/kube.ts';
import { ensureKubeTools } from '@todo/test-support/kube-tools';
import { CONTEXT, paths } from './config.ts';

let connected: Promise<Kube> | undefined;

export function testCluster(): Promise<Kube> {
  connected ??= ensureKubeTools().then(({ kubectl: binary }) =>
    connect(CONTEXT, { kubeconfig: paths.kubeconfig, kubectl: binary }),
  );
  return connected;
}

/** kubectl against the test cluster, ending as it may (a probe reads the exit code). */
export async function kubectl(args: string[], input?: string): Promise<KubectlResult> {
  return (await testCluster()).exec(args, input);
}

/** Like kubectl() but throws with kubectl's own message when it fails. */
export async function kubectlOk(args: string[], input?: string): Promise<string> {
  return (await testCluster()).run(args, input);
}
