import { defineConfig } from 'vitest/config';
import { hookTimeoutMs, testTimeoutMs } from './src/server/testing/timeouts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.e2e.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Test files share their worker's loaded modules: most of a file's time was spent importing the
    // same server modules again. No test relies on fresh module state (each file still gets a fresh
    // database, and product state hangs off the AppContext, not the module).
    isolate: false,
    // Every test file's database is a copy of one migrated per run.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: testTimeoutMs,
    hookTimeout: hookTimeoutMs,
    // expect.poll (the browser specs) waits as long as a browser step may (e2e/harness.ts).
    expect: { poll: { timeout: 20_000 } },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
