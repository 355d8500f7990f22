import {execFile} from 'node:child_process'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import type {RunRollback} from '../engine/rollback.js'

const run = promisify(execFile)

export interface FreshProcessOptions {
  /** Extra node options for the child; by default `--import tsx` when the kit or the module is TypeScript. */
  execArgv?: string[]
  /** The driver's module: a path or URL whose default (or `drivers`) export holds the driver. */
  module: string | URL
  timeoutMs: number
}

function toUrl(module: string | URL): string {
  if (module instanceof URL) return module.href
  return /^[a-z]+:/.test(module) ? module : pathToFileURL(module).href
}

/** Reverts `runId` from its ledger in a new node process that loads the driver from its module. */
export async function revertInFreshProcess(driver: string, runId: string, stateDir: string, options: FreshProcessOptions): Promise<RunRollback> {
  // Run from source (vitest), the child is TypeScript too; built, it is dist/testing/revert-child.js.
  const typescript = import.meta.url.endsWith('.ts')
  const child = fileURLToPath(new URL(`./revert-child.${typescript ? 'ts' : 'js'}`, import.meta.url))
  const moduleUrl = toUrl(options.module)
  const execArgv = options.execArgv ?? (typescript || moduleUrl.endsWith('.ts') ? ['--import', 'tsx'] : [])
  const {stdout} = await run(process.execPath, [...execArgv, child, moduleUrl, driver, runId, stateDir], {
    maxBuffer: 1 << 20,
    timeout: options.timeoutMs,
  })
  const last = stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(last) as RunRollback
}
