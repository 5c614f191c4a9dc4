import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests spawn the built binary; keep them from starving each other on 2-core machines.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
