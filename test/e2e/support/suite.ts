/**
 * What a test file of deploy scenarios sets up, when it deploys its own release: a namespace
 * of its own (emptied first, deleted at the end), a workspace copy of its own, and deploys that
 * fail with Nx's output and the namespace's report. Its release lets Kubernetes pick the
 * frontend's NodePort: the chart's fixed one belongs to deploy.test.ts's release.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NxRun } from '@todo/scripts/lib/nx-run.ts';
import {
  createScratchWorkspace,
  type ScratchWorkspace,
} from '@todo/scripts/lib/scratch-workspace.ts';
import { afterAll, beforeAll } from 'vitest';
import { namespaceView } from './cluster.ts';
import { type DeployEnv, deployEnv } from './deploy-env.ts';
import { deleteNamespace, deployRun, imageRecord } from './deploy-run.ts';

export type DeploySuite = {
  /** The workspace copy (set once the suite's setup ran). */
  readonly scratch: ScratchWorkspace;
  /** The deploy's environment (set once the suite's setup ran). */
  readonly env: DeployEnv;
  view: ReturnType<typeof namespaceView>;
  deploy: (label: string, args?: string[], extraEnv?: Record<string, string>) => Promise<NxRun>;
  imageRecord: (app: string) => ReturnType<typeof imageRecord>;
};

/** Registers the file's setup and teardown; `registry` as DEPLOY_REGISTRY (off: side-load). */
export function deploySuite(namespace: string, registry: 'auto' | 'off'): DeploySuite {
  const workspaceRoot = join(import.meta.dirname, '..', '..', '..');
  const view = namespaceView(namespace);
  const timings: Record<string, number> = {};
  let scratch: ScratchWorkspace | undefined;
  let env: DeployEnv | undefined;
  const ready = () => {
    if (!scratch || !env) throw new Error(`the ${namespace} suite's setup has not run`);
    return { scratch, env };
  };

  beforeAll(async () => {
    env = await deployEnv(namespace, registry);
    const values = `dist/${namespace}-values.yaml`;
    env.DEPLOY_VALUES += `,${values}`;
    await deleteNamespace(env, namespace);
    scratch = await createScratchWorkspace(workspaceRoot);
    await mkdir(join(scratch.root, 'dist'), { recursive: true });
    await writeFile(join(scratch.root, values), 'frontend:\n  service:\n    nodePort: null\n');
  });

  afterAll(async () => {
    if (env) await deleteNamespace(env, namespace);
    await scratch?.remove();
  });

  return {
    get scratch() {
      return ready().scratch;
    },
    get env() {
      return ready().env;
    },
    view,
    deploy: (label, args, extraEnv) =>
      deployRun({ ...ready(), timings, clusterReport: view.clusterReport }, label, args, extraEnv),
    imageRecord: (app) => imageRecord(ready().scratch, app),
  };
}
