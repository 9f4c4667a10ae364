import { defineConfig } from 'vitest/config';

/**
 * Four projects, split by what they need (ARCHITECTURE.md §13):
 * unit = pure, no I/O; integration = real PostgreSQL + HTTP + the real engine (clock untouched);
 * process = the real engine with a clock the tests move; browser = real Chromium against the
 * whole app. `npm test` runs each project in its own vitest invocation, and each invocation's
 * global setup creates a fresh database and starts an engine of its own on it.
 */
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup-database.ts', 'tests/support/global-setup-engine.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'process',
          include: ['tests/process/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup-database.ts', 'tests/support/global-setup-engine.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          // Screens wait on real HTTP (argon2 logins, engine round trips): on a busy 2-core machine a
          // poll needs more than the default second.
          expect: { poll: { timeout: 15_000 } },
          globalSetup: ['tests/support/global-setup-database.ts', 'tests/support/global-setup-engine.ts', 'tests/support/global-setup-web.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
