import { defineConfig } from 'vitest/config';

// npm run test:stress: tests whose outcome depends on timing (random kill -9s), run by .ci/run
// beside the unit suite rather than in it.
export default defineConfig({
  test: {
    include: ['tests/stress/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
