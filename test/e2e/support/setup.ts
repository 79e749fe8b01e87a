/**
 * The deploy scenarios need the test cluster (Nx starts it: `e2e:cluster-up` is a dependency)
 * and the locally built Node base image the app images are built on.
 */

import { inspectImage } from '@todo/scripts/lib/docker.ts';
import { STAND_IN_NODE_IMAGE } from '@todo/scripts/stand-in-node-image.ts';
import { $ } from 'zx';

export default async function setup(): Promise<void> {
  if (!(await inspectImage(STAND_IN_NODE_IMAGE))) {
    await $({
      stdio: 'inherit',
    })`node ${new URL('../../../tools/scripts/stand-in-node-image.ts', import.meta.url).pathname}`;
  }
}
