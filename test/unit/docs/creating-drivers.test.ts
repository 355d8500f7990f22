/**
 * docs/creating-drivers.md's minimal driver is real code: this test takes the exact snippet from the page,
 * type-checks it against rift's SDK (`rift` resolved to this checkout's src/sdk.ts, which `rift` re-exports), keeps it under 60 lines, and runs it
 * through the conformance kit, its fresh-process revert included.
 */
import {execFile} from 'node:child_process'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, expect, it} from 'vitest'

import type {Driver} from '../../../src/drivers/define.js'
import {formatReport, runConformance} from '../../../src/testing/index.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DIR = `${ROOT}test-artifacts/creating-drivers/`
const previousTsconfig = process.env.TSX_TSCONFIG_PATH

afterAll(() => {
  if (previousTsconfig === undefined) delete process.env.TSX_TSCONFIG_PATH
  else process.env.TSX_TSCONFIG_PATH = previousTsconfig
})

it('the minimal driver in docs/creating-drivers.md is under 60 lines, type-checks and passes the conformance kit', async () => {
  const doc = await readFile(`${ROOT}docs/creating-drivers.md`, 'utf8')
  const snippet = /## A minimal driver\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)?.[1]
  expect(snippet).toBeDefined()
  expect(snippet!.trimEnd().split('\n').length).toBeLessThan(60)

  await mkdir(DIR, {recursive: true})
  await writeFile(`${DIR}flag-file.ts`, snippet!)
  const tsconfig = {
    compilerOptions: {noEmit: true, paths: {rift: ['../../src/sdk.ts']}, rootDir: '../..'},
    extends: '../../tsconfig.json',
    include: ['flag-file.ts'],
  }
  await writeFile(`${DIR}tsconfig.json`, JSON.stringify(tsconfig))
  await run(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', `${DIR}tsconfig.json`], {cwd: ROOT}).catch((error: Error & {stdout?: string}) => {
    throw new Error(`the snippet does not type-check:\n${error.stdout ?? error.message}`)
  })

  const driver = (await import(`${DIR}flag-file.ts`) as {default: Driver}).default
  process.env.TSX_TSCONFIG_PATH = `${DIR}tsconfig.json` // the fresh process resolves `rift` the same way
  const report = await runConformance(driver, {
    declined: [{fault: 'region-outage', region: 'mars'}, {fault: 'partition', from: 'us-east', to: 'eu-west'}],
    faults: [{fault: 'region-outage', region: 'us-east'}],
    module: `${DIR}flag-file.ts`,
    topology: {links: [], regions: [{name: 'us-east', services: {}, tags: {}}, {name: 'eu-west', services: {}, tags: {}}]},
  })
  expect(report.failures, formatReport(report)).toEqual([])
  expect(report.checks.filter((check) => check.status !== 'passed'), formatReport(report)).toEqual([])
}, 120_000)
