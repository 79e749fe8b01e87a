import { defineConfig } from 'vitest/config';

// Unit and component tests; the browser tests have their own config in test/e2e.
export default defineConfig({
  test: {
    reporters: ['default', ['junit', { outputFile: 'test-results/unit/junit.xml' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'components',
          include: ['test/components/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['test/components/setup.ts'],
        },
      },
    ],
  },
});
