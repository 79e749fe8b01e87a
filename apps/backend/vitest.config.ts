import { defineConfig } from 'vitest/config';

const api = ['test/api/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['junit', { outputFile: 'test-results/junit.xml' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'pglite', include: api, env: { TEST_DB: 'pglite' } } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...api, 'test/postgres/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/support/postgres.ts'],
        },
      },
    ],
  },
});
