import { defineConfig } from 'vitest/config';

// The deploy scenarios share one cluster and one workspace copy and build on each other:
// one file, in order, with deploy-sized timeouts.
export default defineConfig({
  // Paths below are relative to this folder, whatever the working directory.
  root: import.meta.dirname,
  test: {
    include: ['*.test.ts'],
    globalSetup: ['support/setup.ts'],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 300_000,
    reporters: ['default', ['junit', { outputFile: '../test-results/e2e/junit.xml' }]],
  },
});
