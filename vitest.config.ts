import {fileURLToPath} from 'node:url'
import {configDefaults, defineConfig} from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

/**
 * Tests that measure time on real sockets and timers (failover accuracy to the probe interval, rates,
 * deadlines). `npm test` runs them in a second pass, one file at a time, once the rest is done: on a 2-core
 * machine the e2e and PostgreSQL suites running beside them would stall their event loop by hundreds of ms.
 * RIFT_TESTS=timing selects just them.
 */
const TIMING = ['test/integration/workloads/**/*.test.ts', 'test/unit/probes/command.test.ts']
const timingPass = process.env.RIFT_TESTS === 'timing'

export default defineConfig({
  // Plugins in plugins/ import rift's public entry points by name; from source, here as in their tsconfig.
  resolve: {
    alias: [
      {find: /^rift$/, replacement: src('index.ts')},
      {find: /^rift\/sdk$/, replacement: src('sdk.ts')},
      {find: /^rift\/testing$/, replacement: src('testing/index.ts')},
    ],
  },
  test: {
    include: timingPass ? TIMING : ['test/**/*.test.ts', 'plugins/*/test/**/*.test.ts'],
    exclude: timingPass ? configDefaults.exclude : [...configDefaults.exclude, ...TIMING],
    fileParallelism: !timingPass,
    testTimeout: 30_000,
    // Every run appends its summary to $GITHUB_STEP_SUMMARY; the runs tests make must not land in CI's own.
    env: {GITHUB_STEP_SUMMARY: ''},
    hookTimeout: 30_000,
    // e2e tests spawn the built CLI; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    minWorkers: 1,
  },
})
