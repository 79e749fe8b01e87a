import { defineConfig } from 'vitest/config';

// Unit tests of the cluster tooling's decisions; no cluster, root or Docker needed.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['test/unit/**/*.test.ts'],
    reporters: ['default', ['junit', { outputFile: '../test-results/cluster-unit/junit.xml' }]],
  },
});
