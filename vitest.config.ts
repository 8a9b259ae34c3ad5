import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each integration file gets its own PGlite clone (or shares the PostgreSQL database): 2 cores → 2 workers.
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'unit', include: ['src/shared/**/*.test.ts', 'src/server/**/*.unit.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'integration',
          include: ['src/server/modules/**/*.test.ts', 'src/server/seed/**/*.test.ts'],
          exclude: ['src/server/**/*.unit.test.ts'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
