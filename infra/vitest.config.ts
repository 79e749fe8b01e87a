import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each test shells out to helm (about 0.1 s per render); renders are memoised per file.
    testTimeout: 30_000,
    reporters: ['default', ['junit', { outputFile: 'test-results/junit.xml' }]],
  },
});
