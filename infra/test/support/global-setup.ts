import { ensureKubeTools } from '@todo/test-support/kube-tools';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    helm: string;
  }
}

/** The real helm binary (v4) the project installs, shared with every test file. */
export default async function setup(project: TestProject) {
  const { helm } = await ensureKubeTools();
  project.provide('helm', helm);
}
