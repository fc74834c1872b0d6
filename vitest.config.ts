import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    globalSetup: ['test/e2e/warn-once.ts'],
    // A browser page or a Slurm job reaches a state when the machine gets to it, and a loaded CI
    // machine gets there late; a poll still ends the moment its condition holds, so the longer
    // limit only delays the report of a real failure.
    expect: { poll: { timeout: 15_000 } },
  },
});
