/**
 * The deploy pipeline's Nx targets, inferred from the workspace's files: every app (a folder
 * `apps/<name>/` with a Dockerfile, lib/apps.ts's rule, which the deploy scripts follow too)
 * gets `docker-build` and `minikube-load`; the project that holds the chart
 * (`<project>/helm/<chart>/Chart.yaml`) gets `helm-deploy`, `smoke-test` and `deploy`, with
 * `helm-deploy` depending on every app's `minikube-load` and the project on every app (so
 * `nx affected -t deploy` deploys a change to any app).
 *
 * The functions that decide the targets are pure (paths in, configuration out); only
 * `createNodesV2` is Nx's.
 */
import type {
  CreateNodesResult,
  CreateNodesV2,
  ProjectConfiguration,
  TargetConfiguration,
} from 'nx/src/devkit-exports';
import { appOfDockerfile } from '../scripts/lib/apps.ts';

/** Node's compile cache for the deploy scripts, which run on every deploy's critical path. */
const NODE = 'NODE_COMPILE_CACHE=node_modules/.cache/todo-chatbot/node-compile-cache node';

/** The runtime input that reads the outside state a step acts on (tools/scripts/README.md). */
const deployState = (args: string) => ({
  runtime: `DEPLOY_STATE_OWNER=$PPID sh tools/scripts/deploy-state.sh ${args}`,
});

/** Pure: an app's image targets. */
export function appTargets(app: string): Record<string, TargetConfiguration> {
  return {
    'docker-build': {
      cache: true,
      dependsOn: ['build'],
      command: `${NODE} tools/scripts/docker-build.ts ${app}`,
      inputs: ['dockerImage', deployState(`docker ${app}`)],
      outputs: [
        '{workspaceRoot}/dist/images/{projectName}.json',
        '{workspaceRoot}/dist/deploy/steps/{projectName}--docker-build.json',
      ],
      metadata: {
        description: `Build the ${app} image from its build output under a content tag (dist/images/${app}.json)`,
      },
    },
    'minikube-load': {
      cache: true,
      dependsOn: ['docker-build'],
      command: `${NODE} tools/scripts/minikube-load.ts ${app}`,
      inputs: [
        { dependentTasksOutputFiles: 'dist/images/*.json' },
        'deployScripts',
        'deploySettings',
        deployState(`image ${app}`),
      ],
      outputs: [
        '{workspaceRoot}/dist/images/{projectName}.delivered.json',
        '{workspaceRoot}/dist/deploy/steps/{projectName}--minikube-load.json',
      ],
      metadata: {
        description: `Get the ${app} image to the cluster: pushed to its registry, or loaded onto the node`,
      },
    },
  };
}

/** Pure: the chart project's deploy targets, `helm-deploy` after every app's load. */
export function chartTargets(apps: string[]): Record<string, TargetConfiguration> {
  return {
    'helm-deploy': {
      cache: true,
      command: `${NODE} tools/scripts/helm-deploy.ts`,
      dependsOn: [{ projects: [...apps], target: 'minikube-load' }],
      inputs: [
        '{projectRoot}/helm/**/*',
        { dependentTasksOutputFiles: 'dist/images/*.json', transitive: true },
        'deployScripts',
        'deploySettings',
        deployState('release'),
      ],
      outputs: [
        '{workspaceRoot}/dist/deploy/steps/infra--helm-deploy.json',
        '{workspaceRoot}/dist/deploy/release.json',
        '{workspaceRoot}/dist/deploy/release-objects.json',
      ],
      metadata: {
        description:
          'Write the Secret from .env and `helm upgrade --install` the chart with the delivered images, unless the release is current',
      },
    },
    'smoke-test': {
      cache: true,
      command: `${NODE} tools/scripts/smoke-test.ts`,
      dependsOn: ['helm-deploy'],
      inputs: [
        { dependentTasksOutputFiles: 'dist/deploy/release.json' },
        'deployScripts',
        'deploySettings',
      ],
      outputs: ['{workspaceRoot}/dist/deploy/steps/infra--smoke-test.json'],
      metadata: {
        description:
          'Check the deployed app end to end through a port-forward (page, readiness, sign-up, tasks, one assistant turn)',
      },
    },
    deploy: {
      cache: false,
      command: 'sh tools/scripts/deploy-summary.sh',
      dependsOn: ['smoke-test'],
      metadata: {
        description:
          'Build, load, deploy and smoke-test every app, then print the run summary (dist/deploy-report.json)',
      },
    },
  };
}

/** Pure: the project root holding a chart found at `<root>/helm/<chart>/Chart.yaml`. */
export function chartProjectRoot(path: string): string | undefined {
  return /^([^/]+)\/helm\/[^/]+\/Chart\.yaml$/.exec(path)?.[1];
}

/**
 * Pure: the projects' inferred configuration for the matched files (workspace-relative, `/`),
 * keyed by each file, as Nx's createNodes returns it. Files neither rule matches add nothing.
 */
export function deployNodes(files: readonly string[]): Array<[string, CreateNodesResult]> {
  const apps = files.map((file) => appOfDockerfile(file)).filter((app) => app !== undefined);
  const names = apps.map((app) => app.name).sort();
  const nodes: Array<[string, CreateNodesResult]> = [];
  for (const file of files) {
    const app = appOfDockerfile(file);
    const chartRoot = chartProjectRoot(file);
    let project: ProjectConfiguration | undefined;
    if (app) project = { root: app.root, targets: appTargets(app.name) };
    else if (chartRoot)
      project = { root: chartRoot, targets: chartTargets(names), implicitDependencies: names };
    if (project) nodes.push([file, { projects: { [project.root]: project } }]);
  }
  return nodes;
}

export const createNodesV2: CreateNodesV2 = [
  '**/{Dockerfile,Chart.yaml}',
  (files) => deployNodes(files),
];
