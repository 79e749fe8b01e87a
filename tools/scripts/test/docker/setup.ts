/**
 * Global setup of the Docker tests: a reachable daemon is required (the tests fail, they do
 * not skip, so a CI machine without Docker cannot pass silently), and the base image must be
 * in it; the registry-less stand-in is built here when that is the base in use.
 */
import { $ } from 'zx';
import { assertDockerAvailable, inspectImage } from '../../lib/docker.ts';
import { STAND_IN_NODE_IMAGE } from '../../stand-in-node-image.ts';
import { baseImage, workspaceRoot } from './support.ts';

export default async function setup(): Promise<void> {
  try {
    await assertDockerAvailable();
  } catch (error) {
    throw new Error(
      `The Docker tests need a Docker daemon (bash .ci/run installs and starts one): ${(error as Error).message}`,
    );
  }
  if (baseImage === STAND_IN_NODE_IMAGE && !(await inspectImage(baseImage))) {
    await $({ cwd: workspaceRoot, stdio: 'inherit' })`node tools/scripts/stand-in-node-image.ts`;
  }
}
