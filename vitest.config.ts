import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Every run appends its summary to $GITHUB_STEP_SUMMARY; the runs tests make must not land in CI's own.
    env: {GITHUB_STEP_SUMMARY: ''},
    hookTimeout: 30_000,
    // e2e tests spawn the built CLI; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    minWorkers: 1,
  },
})
