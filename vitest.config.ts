import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

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
    include: ['test/**/*.test.ts', 'plugins/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    // Every run appends its summary to $GITHUB_STEP_SUMMARY; the runs tests make must not land in CI's own.
    env: {GITHUB_STEP_SUMMARY: ''},
    hookTimeout: 30_000,
    // e2e tests spawn the built CLI; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    minWorkers: 1,
  },
})
