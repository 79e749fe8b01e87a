import { glob, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appTargets,
  chartProjectRoot,
  chartTargets,
  createNodesV2,
  deployNodes,
} from '../../../nx-plugin/deploy-targets.ts';
import * as plugin from '../../../nx-plugin/index.ts';
import { APPS, appImage, appOfDockerfile, defaultAppImage, discoverApps } from '../../lib/apps.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe('which apps the deploy ships', () => {
  it('an app is a folder of apps/ with a Dockerfile, named after the folder', () => {
    expect(appOfDockerfile('apps/worker/Dockerfile')).toEqual({
      name: 'worker',
      root: 'apps/worker',
    });
    expect(appOfDockerfile('apps/worker/docker/Dockerfile')).toBeUndefined();
    expect(appOfDockerfile('test/cluster/images/postgres/Dockerfile')).toBeUndefined();
    expect(appOfDockerfile('apps/worker/Dockerfile.dev')).toBeUndefined();
  });

  it('the scripts find the same apps on disk, in name order', async () => {
    const root = await mkdtemp(join(tmpdir(), 'apps-'));
    try {
      for (const [dir, file] of [
        ['apps/worker', 'Dockerfile'],
        ['apps/api', 'Dockerfile'],
        ['apps/shared', 'package.json'],
      ] as const) {
        await mkdir(join(root, dir), { recursive: true });
        await writeFile(join(root, dir, file), '');
      }
      expect(discoverApps(root)).toEqual(['api', 'worker']);
      expect(discoverApps(join(root, 'nowhere'))).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('this workspace ships the backend and the frontend, by either rule', async () => {
    const files: string[] = [];
    for await (const file of glob('**/{Dockerfile,Chart.yaml}', {
      cwd: workspaceRoot,
      exclude: (path) => /(^|\/)(node_modules|dist|\.git|\.nx)$/.test(path),
    }))
      files.push(file.split(sep).join('/'));
    const inferred = deployNodes(files).flatMap(([, result]) => Object.keys(result.projects ?? {}));
    expect(inferred.sort()).toEqual(['apps/backend', 'apps/frontend', 'infra']);
    expect(discoverApps(workspaceRoot)).toEqual(['backend', 'frontend']);
  });

  it('an app without an entry in APPS gets the default image: its dist/, no source maps', () => {
    expect(appImage('backend')).toBe(APPS.backend);
    expect(appImage('worker')).toEqual(defaultAppImage('worker'));
    expect(defaultAppImage('worker')).toMatchObject({
      name: 'worker',
      root: 'apps/worker',
      include: ['dist'],
      excludeSuffixes: ['.map'],
    });
  });
});

describe('the inferred deploy targets', () => {
  it('registers createNodesV2 and the remote cache hook under the plugin name', () => {
    expect(plugin.name).toBe('todo-chatbot');
    expect(plugin.createNodesV2).toBe(createNodesV2);
    expect(typeof plugin.preTasksExecution).toBe('function');
    expect(createNodesV2[0]).toBe('**/{Dockerfile,Chart.yaml}');
  });

  it('each app builds and loads its own image, cached on the outside state', () => {
    const targets = appTargets('worker');
    expect(Object.keys(targets)).toEqual(['docker-build', 'minikube-load']);
    expect(targets['docker-build']).toMatchObject({
      cache: true,
      dependsOn: ['build'],
      command: expect.stringMatching(/ node tools\/scripts\/docker-build\.ts worker$/),
      inputs: [
        'dockerImage',
        { runtime: 'DEPLOY_STATE_OWNER=$PPID sh tools/scripts/deploy-state.sh docker worker' },
      ],
    });
    expect(targets['minikube-load']).toMatchObject({
      cache: true,
      dependsOn: ['docker-build'],
      command: expect.stringMatching(/ node tools\/scripts\/minikube-load\.ts worker$/),
    });
    expect(targets['minikube-load']?.inputs?.at(-1)).toEqual({
      runtime: 'DEPLOY_STATE_OWNER=$PPID sh tools/scripts/deploy-state.sh image worker',
    });
  });

  it('the chart deploys after every app is loaded, then smoke-tests, then sums up', () => {
    const targets = chartTargets(['backend', 'frontend', 'worker']);
    expect(Object.keys(targets)).toEqual(['helm-deploy', 'smoke-test', 'deploy']);
    expect(targets['helm-deploy']?.dependsOn).toEqual([
      { projects: ['backend', 'frontend', 'worker'], target: 'minikube-load' },
    ]);
    expect(targets['smoke-test']?.dependsOn).toEqual(['helm-deploy']);
    expect(targets.deploy).toMatchObject({ cache: false, dependsOn: ['smoke-test'] });
  });

  it('every inferred target says what it does', () => {
    for (const target of [
      ...Object.values(appTargets('worker')),
      ...Object.values(chartTargets(['worker'])),
    ])
      expect(target.metadata?.description).toMatch(/\w{4,}/);
  });

  it('finds the chart project two levels above Chart.yaml, and no subchart', () => {
    expect(chartProjectRoot('infra/helm/todo-chatbot/Chart.yaml')).toBe('infra');
    expect(chartProjectRoot('infra/helm/todo-chatbot/charts/db/Chart.yaml')).toBeUndefined();
    expect(chartProjectRoot('apps/worker/Dockerfile')).toBeUndefined();
  });

  it('a third app joins the pipeline by its Dockerfile alone', () => {
    const nodes = deployNodes([
      'apps/frontend/Dockerfile',
      'infra/helm/todo-chatbot/Chart.yaml',
      'apps/worker/Dockerfile',
      'apps/backend/Dockerfile',
      'test/cluster/images/postgres/Dockerfile',
    ]);
    expect(nodes.map(([file]) => file)).toEqual([
      'apps/frontend/Dockerfile',
      'infra/helm/todo-chatbot/Chart.yaml',
      'apps/worker/Dockerfile',
      'apps/backend/Dockerfile',
    ]);
    const projects = Object.assign({}, ...nodes.map(([, result]) => result.projects));
    expect(Object.keys(projects).sort()).toEqual([
      'apps/backend',
      'apps/frontend',
      'apps/worker',
      'infra',
    ]);
    expect(projects['apps/worker'].targets['docker-build'].command).toMatch(/ worker$/);
    expect(projects.infra.implicitDependencies).toEqual(['backend', 'frontend', 'worker']);
    expect(projects.infra.targets['helm-deploy'].dependsOn[0].projects).toEqual([
      'backend',
      'frontend',
      'worker',
    ]);
  });
});
