/**
 * `rift rollback`: revert, from the ledger alone and in a fresh process, whatever a run left behind
 * (it crashed, was killed, or a revert failed). Idempotent: a second rollback finds nothing to do.
 */
import {existsSync} from 'node:fs'

import type {Driver, Logger} from '../drivers/define.js'
import type {DriverRegistry} from '../drivers/registry.js'
import {RiftError, errorMessage} from '../errors.js'
import {LedgerWriter, outstandingFaults, readLedger, type LedgerEntry, type OutstandingFault} from './ledger.js'
import {findFaultDefinition} from './plan.js'
import {listRunIds, runPaths, stateDir as defaultStateDir} from './run-dir.js'
import {REVERT_TIMEOUT_MS} from './rollback-stack.js'

type Clients = Map<string, {client: unknown; driver: Driver}>
const quiet: Logger = {debug: () => {}, info: () => {}, warn: () => {}}

export interface RolledBackFault {
  driver: string
  error?: string
  faultId: string
  kind: string
  outcome: 'reverted' | 'already-reverted' | 'failed'
  target: string
}

export interface RunRollback {
  faults: RolledBackFault[]
  runId: string
}

export interface RollbackOptions {
  /** Roll back even though the run's process still seems alive. */
  force?: boolean
  registry: DriverRegistry
  stateDir?: string
}

/** The run ids to look at: one named run, the latest, or every run. */
export async function selectRuns(selection: {all?: boolean; runId?: string | undefined}, base = defaultStateDir()): Promise<string[]> {
  const ids = await listRunIds(base)
  if (selection.runId) {
    if (!existsSync(runPaths(selection.runId, base).ledger)) {
      throw new RiftError('RIFT_RUN_NOT_FOUND', `No run "${selection.runId}" in ${base}`, {
        suggestions: ids.length > 0 ? [`Known runs: ${ids.slice(-5).join(', ')}`] : ['No runs have been recorded here; check the working directory or RIFT_HOME'],
      })
    }
    return [selection.runId]
  }
  if (selection.all) return ids
  return ids.slice(-1)
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A run whose process is alive and has not ended is still running: its own rollback is in charge. */
function runStillActive(entries: LedgerEntry[]): number | undefined {
  const started = entries.find((entry) => entry.type === 'run-started')
  const ended = entries.some((entry) => entry.type === 'run-ended')
  if (!started || ended || started.type !== 'run-started') return undefined
  return processAlive(started.pid) ? started.pid : undefined
}

export async function rollbackRun(runId: string, options: RollbackOptions): Promise<RunRollback> {
  const paths = runPaths(runId, options.stateDir)
  const entries = await readLedger(paths.ledger)
  const pid = runStillActive(entries)
  if (pid !== undefined && !options.force) {
    throw new RiftError('RIFT_RUN_IN_PROGRESS', `Run ${runId} is still in progress (pid ${pid}); it reverts its own faults when it ends`, {
      suggestions: [`Interrupt it with: kill -INT ${pid}`, `Or, if that process is not rift: rift rollback --run ${runId} --force`],
    })
  }
  const outstanding = outstandingFaults(entries)
  if (outstanding.length === 0) return {faults: [], runId}

  const ledger = new LedgerWriter(paths.ledger)
  const faults: RolledBackFault[] = []
  const clients: Clients = new Map()
  try {
    const accounts = new Map(entries.flatMap((entry) => (entry.type === 'identity' ? [[entry.driver, entry.account] as const] : [])))
    for (const fault of outstanding) faults.push(await revertOne(fault, options.registry, clients, ledger, options.stateDir ?? defaultStateDir(), accounts))
  } finally {
    for (const {client, driver} of clients.values()) await driver.disconnect?.(client).catch(() => {})
    await ledger.close()
  }
  return {faults, runId}
}

async function revertOne(
  fault: OutstandingFault,
  registry: DriverRegistry,
  clients: Clients,
  ledger: LedgerWriter,
  stateDir: string,
  accounts: ReadonlyMap<string, string>,
): Promise<RolledBackFault> {
  const summary = {driver: fault.driver, faultId: fault.faultId, kind: fault.kind, target: fault.target}
  try {
    const driver = registry.get(fault.driver)
    const definition = findFaultDefinition(driver, fault.kind)
    if (!definition) throw new Error(`driver "${fault.driver}" no longer offers ${fault.kind}`)
    // One client per driver and config: the same config the run used, from the ledger.
    const key = `${fault.driver}\n${JSON.stringify(fault.driverConfig)}`
    let client = clients.get(key)?.client
    if (client === undefined) {
      client = await driver.connect(fault.driverConfig, {log: quiet, signal: AbortSignal.timeout(REVERT_TIMEOUT_MS), stateDir})
      try {
        await checkSameAccount(driver, client, accounts.get(fault.driver))
      } catch (error) {
        await driver.disconnect?.(client).catch(() => {})
        throw error
      }
      clients.set(key, {client, driver})
    }
    const outcome = await definition.revert({
      client,
      log: quiet,
      signal: AbortSignal.timeout(driver.capabilities.revertTimeoutMs ?? REVERT_TIMEOUT_MS),
      state: fault.state,
    })
    await ledger.append({faultId: fault.faultId, outcome, type: 'reverted'})
    return {...summary, outcome}
  } catch (error) {
    const message = errorMessage(error)
    await ledger.append({error: message, faultId: fault.faultId, type: 'revert-failed'}).catch(() => {})
    return {...summary, error: message, outcome: 'failed'}
  }
}

/**
 * A live driver holding another account's credentials would find nothing to revert there and report the
 * fault as already reverted while it is still in force: refuse instead.
 */
async function checkSameAccount(driver: Driver, client: unknown, expected: string | undefined): Promise<void> {
  if (!driver.capabilities.live || !driver.identity || expected === undefined) return
  const {account} = await driver.identity(client, {signal: AbortSignal.timeout(REVERT_TIMEOUT_MS)})
  if (account !== expected) {
    throw new Error(`the credentials are for AWS account ${account}, but the run acted in account ${expected}; roll back with that account's credentials`)
  }
}
