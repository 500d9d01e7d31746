import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Timing-dependent stress tests run on their own: npm run test:stress.
    exclude: ['tests/stress/**', 'node_modules/**'],
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn the built bin in pseudo-terminals; keep the 2-core machine responsive.
    maxWorkers: 2,
  },
});
