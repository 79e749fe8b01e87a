import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    reporters: ['default', ['junit', { outputFile: 'test-results/unit/junit.xml' }]],
  },
});
