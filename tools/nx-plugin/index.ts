/**
 * The workspace's local Nx plugin (registered in nx.json's `plugins`):
 *
 * - `createNodesV2` (deploy-targets.ts) infers the deploy pipeline's targets: `docker-build` and
 *   `minikube-load` for every app (`apps/<name>/` with a Dockerfile), and `helm-deploy`,
 *   `smoke-test` and `deploy` for the project that holds the chart (`infra`), depending on
 *   every app's load. A new app joins the pipeline with its folder and its block of values.
 * - `preTasksExecution` (remote-cache.ts) checks the self-hosted remote cache before every run.
 */
export { createNodesV2 } from './deploy-targets.ts';
export { preTasksExecution } from './remote-cache.ts';

export const name = 'todo-chatbot';
