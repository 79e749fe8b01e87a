import { defineConfig } from 'vitest/config';

// The proof on a real cluster: run after cluster-up (npx nx run e2e:test-cluster).
export default defineConfig({
  // Paths below are relative to this folder, whatever the working directory.
  root: import.meta.dirname,
  test: {
    include: ['cluster.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ['default', ['junit', { outputFile: '../../test-results/cluster/junit.xml' }]],
  },
});
