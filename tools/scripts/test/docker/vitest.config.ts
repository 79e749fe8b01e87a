import { defineConfig } from 'vitest/config';

// Real Docker: builds and runs both app images, so one file at a time and generous timeouts.
export default defineConfig({
  test: {
    include: ['test/docker/**/*.test.ts'],
    globalSetup: ['test/docker/setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', ['junit', { outputFile: 'test-results/docker/junit.xml' }]],
  },
});
