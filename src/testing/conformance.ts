/**
 * The driver contract as one call: `runConformance(driver, {config, topology, faults, declined, module})` plans,
 * injects, verifies and reverts every given fault against the real backend, and returns a report of named checks
 * (see report.ts). It never throws for a driver's failure; it reverts whatever it injected before returning.
 */
import {randomBytes} from 'node:crypto'
import {mkdir, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isDeepStrictEqual} from 'node:util'

import type {Driver, FaultContext, FaultDefinition, FaultPlan, Json, Logger, PlanContext, Topology} from '../drivers/define.js'
import {errorMessage} from '../errors.js'
import {LedgerWriter} from '../engine/ledger.js'
import {runPaths} from '../engine/run-dir.js'
import {parseDuration} from '../util/duration.js'
import {revertInFreshProcess} from './fresh-process.js'
import {buildReport, type CheckName, type CheckStatus, type ConformanceCheck, type ConformanceReport} from './report.js'

/**
 * A fault as an experiment's method step would say it: `{fault: 'latency', from: 'a', to: 'b', latency: '100ms'}`
 * or a raw action `{action: 'memory.cut-link', params: {link: 'x'}}`. `duration` defaults to 1s; plan sees
 * it as `durationMs`, as in a run.
 */
export type ConformanceFault = {[key: string]: unknown; fault: string} | {action: string; duration?: string; params?: Record<string, unknown>}

export interface ConformanceOptions {
  /**
   * For a live driver: the accounts it may act in, as `guardrails.allowAccounts` in an experiment. The kit asks
   * `identity` after connect, as a run does, and injects nothing when the account is not listed. Without it any
   * account is accepted; the identity is still asked and ledgered for the fresh-process revert.
   */
  allowAccounts?: string[]
  /** The driver's config as an experiment would give it (`driver: {<name>: {...}}`); parsed with the driver's schema. */
  config?: unknown
  /** Faults the driver must decline in `plan` (or not offer): each must come back with a reason. */
  declined?: ConformanceFault[]
  /** Faults and actions to put through the whole contract. Every fault and action the driver offers should be here. */
  faults: ConformanceFault[]
  log?: Logger
  /**
   * The module the driver is exported from (path or URL; default or `drivers` export), for the fresh-process
   * revert. Without it that check is skipped. `execArgv` overrides the child's node options.
   */
  module?: string | URL
  execArgv?: string[]
  /** Default: a random `conformance-…` id, so parallel runs never share names. */
  runId?: string
  /** Where rift keeps state (ledger, the memory driver's fabric); default: a temporary folder, removed after. */
  stateDir?: string
  /** Per operation (connect, inject, verify, revert, the child process). Default 30 s. */
  timeoutMs?: number
  topology: Topology
}

const quiet: Logger = {debug: () => {}, info: () => {}, warn: () => {}}
type Definition = FaultDefinition<unknown, unknown, Json>
type OkPlan = Extract<FaultPlan, {ok: true}>

interface Resolved {
  definition: Definition | undefined
  /** The step's duration, as the engine gives it to plan; undefined when it is not a duration. */
  durationMs: number | undefined
  input: unknown
  kind: string
}

function msOf(duration: unknown): number | undefined {
  const parsed = parseDuration(typeof duration === 'string' ? duration : '1s')
  return parsed.ok ? parsed.ms : undefined
}

function resolveFault(driver: Driver, spec: ConformanceFault): Resolved {
  if ('fault' in spec && typeof spec.fault === 'string') {
    const definition = (driver.faults as Record<string, Definition | undefined>)[spec.fault]
    return {definition, durationMs: msOf(spec.duration), input: {duration: '1s', ...spec}, kind: spec.fault}
  }
  const {action: qualified, duration, params} = spec as {action: string; duration?: string; params?: Record<string, unknown>}
  const [owner, action = ''] = qualified.includes('.') ? qualified.split('.', 2) : [driver.name, qualified]
  const definition = owner === driver.name ? (driver.actions[action] as Definition | undefined) : undefined
  return {definition, durationMs: msOf(duration), input: params ?? {}, kind: `${driver.name}.${action}`}
}

/** Plans like the engine: params validated by the driver's schema, a throw counted as a decline. */
function planOf(resolved: Resolved, context: PlanContext): FaultPlan {
  if (!resolved.definition) return {ok: false, reason: `the driver does not offer ${resolved.kind}`}
  const parsed = resolved.definition.params.safeParse(resolved.input)
  if (!parsed.success) return {ok: false, reason: `invalid parameters: ${parsed.error.message}`}
  try {
    return resolved.definition.plan(parsed.data, context)
  } catch (error) {
    return {ok: false, reason: `plan threw: ${errorMessage(error)}`}
  }
}

export async function runConformance(driver: Driver, options: ConformanceOptions): Promise<ConformanceReport> {
  const checks: ConformanceCheck[] = []
  const record = (fault: string, name: CheckName, status: CheckStatus, detail = ''): void => {
    checks.push({detail, fault, name, status})
  }
  const timeoutMs = options.timeoutMs ?? 30_000
  const log = options.log ?? quiet
  const runId = options.runId ?? `conformance-${randomBytes(4).toString('hex')}`
  const ownStateDir = options.stateDir === undefined
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'rift-conformance-')))
  const parsedConfig = driver.config.safeParse(options.config ?? {})
  if (!parsedConfig.success) {
    record('driver', 'inject then verify shows the fault', 'failed', `config is invalid: ${parsedConfig.error.message}`)
    return buildReport(driver.name, checks)
  }
  const config = parsedConfig.data as Record<string, unknown>
  const signal = () => AbortSignal.timeout(timeoutMs)
  const injected: {definition: Definition; state: Json}[] = []
  let client: unknown
  /** A live driver's account, ledgered for the fresh process, whose rollback checks it holds the same one. */
  let account: string | undefined
  let faultCount = 0
  const context = (resolved: Resolved, faultId: string, id = runId): PlanContext => ({
    config,
    ...(resolved.durationMs === undefined ? {} : {durationMs: resolved.durationMs}),
    faultId,
    runId: id,
    topology: options.topology,
  })
  const faultContext = (state: Json, abort = signal()): FaultContext<unknown, Json> => ({client, log, signal: abort, state})
  const landed = async (definition: Definition, state: Json): Promise<boolean | undefined> =>
    definition.verify ? (await definition.verify(faultContext(state))).landed : undefined

  try {
    client = await driver.connect(config, {log, signal: signal(), stateDir, topology: options.topology})
  } catch (error) {
    record('driver', 'inject then verify shows the fault', 'failed', `connect failed: ${errorMessage(error)}`)
    if (ownStateDir) await rm(stateDir, {force: true, recursive: true})
    return buildReport(driver.name, checks)
  }

  try {
    // A live driver says whose account it holds before anything changes, as in a run; a refusal injects nothing.
    if (driver.capabilities.live && !(await checkIdentity())) return buildReport(driver.name, checks)
    const exercised = new Set<string>()
    for (const spec of options.faults) {
      const resolved = resolveFault(driver, spec)
      exercised.add(resolved.kind)
      const ids = {abort: `f${++faultCount}`, fresh: `f${++faultCount}`, main: `f${++faultCount}`, uninjected: `f${++faultCount}`}

      // Rule: plan is pure and deterministic, names derived from the run id.
      const first = planOf(resolved, context(resolved, ids.main))
      if (!first.ok) {
        record(resolved.kind, 'plan is deterministic', 'failed', `plan declined a fault it should run: ${first.reason}`)
        continue
      }
      const second = planOf(resolved, context(resolved, ids.main))
      const roundTrip = JSON.parse(JSON.stringify(first.state)) as Json
      if (!isDeepStrictEqual(first, second)) record(resolved.kind, 'plan is deterministic', 'failed', 'two plans of the same fault differ')
      else if (!isDeepStrictEqual(roundTrip, first.state)) record(resolved.kind, 'plan is deterministic', 'failed', 'the state does not survive JSON')
      else record(resolved.kind, 'plan is deterministic', 'passed', `${first.actions.length} action(s)`)
      const otherRun = planOf(resolved, context(resolved, ids.main, `${runId}-other`))
      const named = JSON.stringify(first.state).includes(runId) && otherRun.ok && !isDeepStrictEqual(otherRun.state, first.state)
      // A warning, not a failure: a fault that creates nothing (re-enabling a disabled proxy) has nothing to name.
      const unnamed = `the state does not name run ${runId}: fine only if the fault creates nothing revert must find by name`
      record(resolved.kind, 'plan names its state from the run id', named ? 'passed' : 'warned', named ? '' : unnamed)

      await mainLifecycle(resolved.kind, resolved.definition!, first)
      await revertUninjected(resolved, ids.uninjected)
      await abortedInject(resolved, ids.abort)
      await freshProcess(resolved, ids.fresh)
    }

    for (const spec of options.declined ?? []) {
      const resolved = resolveFault(driver, spec)
      const plan = planOf(resolved, context(resolved, `f${++faultCount}`))
      if (plan.ok) record(resolved.kind, 'declined faults are reported by plan', 'failed', `planned instead: ${plan.actions.map((a) => a.description).join('; ')}`)
      else if (plan.reason.trim() === '') record(resolved.kind, 'declined faults are reported by plan', 'failed', 'declined without a reason')
      else record(resolved.kind, 'declined faults are reported by plan', 'passed', plan.reason)
    }

    const offered = [...Object.keys(driver.faults), ...Object.keys(driver.actions).map((action) => `${driver.name}.${action}`)]
    const missing = offered.filter((kind) => !exercised.has(kind))
    record('driver', 'every fault and action is exercised', missing.length === 0 ? 'passed' : 'failed', missing.length === 0 ? `${offered.length} offered` : `not exercised: ${missing.join(', ')}`)
  } finally {
    // Whatever a failed check left in force goes now; a revert is idempotent, so reverting twice is harmless.
    for (const {definition, state} of injected.reverse()) await definition.revert(faultContext(state)).catch(() => {})
    await driver.disconnect?.(client).catch(() => {})
    if (ownStateDir) await rm(stateDir, {force: true, recursive: true})
  }
  return buildReport(driver.name, checks)

  async function checkIdentity(): Promise<boolean> {
    const name = 'a live driver says which account it acts in'
    try {
      if (!driver.identity) throw new Error('the driver is live but has no identity()')
      const {account: seen, principal} = await driver.identity(client, {signal: signal()})
      const allowed = options.allowAccounts
      if (allowed && !allowed.includes(seen)) {
        record('driver', name, 'failed', `account ${seen} is not in allowAccounts [${allowed.join(', ')}]; nothing was injected`)
        return false
      }
      account = seen
      record('driver', name, 'passed', `account ${seen} as ${principal}`)
      return true
    } catch (error) {
      record('driver', name, 'failed', `identity failed: ${errorMessage(error)}; nothing was injected`)
      return false
    }
  }

  async function inject(definition: Definition, state: Json, abort?: AbortSignal): Promise<Json> {
    injected.push({definition, state})
    const enriched = (await definition.inject(faultContext(state, abort))) ?? state
    if (enriched !== state) injected.push({definition, state: enriched})
    return enriched
  }

  async function mainLifecycle(kind: string, definition: Definition, plan: OkPlan): Promise<void> {
    let state: Json
    try {
      state = await inject(definition, plan.state)
      if (!definition.verify) record(kind, 'inject then verify shows the fault', 'skipped', 'the driver has no verify')
      else {
        const verification = await definition.verify(faultContext(state))
        record(kind, 'inject then verify shows the fault', verification.landed ? 'passed' : 'failed', verification.detail)
      }
    } catch (error) {
      record(kind, 'inject then verify shows the fault', 'failed', errorMessage(error))
      return
    }
    try {
      const outcomes = [await definition.revert(faultContext(state)), await definition.revert(faultContext(state))]
      const ok = outcomes[0] === 'reverted' && outcomes[1] === 'already-reverted'
      record(kind, 'revert twice gives reverted then already-reverted', ok ? 'passed' : 'failed', `got ${outcomes.join(', then ')}`)
      const after = await landed(definition, state)
      if (after === undefined) record(kind, 'verify after revert shows no fault', 'skipped', 'the driver has no verify')
      else record(kind, 'verify after revert shows no fault', after ? 'failed' : 'passed', after ? 'verify still sees the fault' : '')
    } catch (error) {
      record(kind, 'revert twice gives reverted then already-reverted', 'failed', errorMessage(error))
    }
  }

  async function revertUninjected(resolved: Resolved, faultId: string): Promise<void> {
    const plan = planOf(resolved, context(resolved, faultId))
    if (!plan.ok) return
    try {
      const outcome = await resolved.definition!.revert(faultContext(plan.state))
      record(resolved.kind, 'revert without inject is harmless', outcome === 'already-reverted' ? 'passed' : 'failed', `got ${outcome}`)
    } catch (error) {
      record(resolved.kind, 'revert without inject is harmless', 'failed', `revert threw: ${errorMessage(error)}`)
    }
  }

  async function abortedInject(resolved: Resolved, faultId: string): Promise<void> {
    const plan = planOf(resolved, context(resolved, faultId))
    if (!plan.ok) return
    const definition = resolved.definition!
    const controller = new AbortController()
    controller.abort(new Error('conformance: interrupted before inject'))
    try {
      await inject(definition, plan.state, controller.signal)
      record(resolved.kind, 'inject honours an aborted signal', 'failed', 'inject carried on past an aborted signal')
    } catch {
      const still = await landed(definition, plan.state).catch(() => undefined)
      record(resolved.kind, 'inject honours an aborted signal', still ? 'failed' : 'passed', still ? 'inject threw but left the fault in force' : 'inject threw')
    }
  }

  async function freshProcess(resolved: Resolved, faultId: string): Promise<void> {
    const name = 'revert from the ledger in a fresh process'
    if (options.module === undefined) {
      record(resolved.kind, name, 'skipped', 'no module given: pass `module` (the file that exports the driver)')
      return
    }
    if (!driver.capabilities.resumableRevert) {
      record(resolved.kind, name, 'skipped', 'the driver declares resumableRevert: false')
      return
    }
    const plan = planOf(resolved, context(resolved, faultId))
    if (!plan.ok) return
    const definition = resolved.definition!
    const freshRunId = `${runId}-${faultId}`
    const paths = runPaths(freshRunId, stateDir)
    await mkdir(paths.dir, {recursive: true})
    const ledger = new LedgerWriter(paths.ledger)
    try {
      // The engine's order: the planned state is durable before inject, the enriched state after.
      await ledger.append({cwd: process.cwd(), experiment: 'conformance', pid: process.pid, runId: freshRunId, type: 'run-started'})
      if (account !== undefined) await ledger.append({account, driver: driver.name, type: 'identity'})
      await ledger.append({driver: driver.name, driverConfig: config, faultId, kind: resolved.kind, state: plan.state, target: plan.target, type: 'planned'})
      const state = await inject(definition, plan.state)
      await ledger.append({faultId, state, type: 'injected'})
      await ledger.close()
      const result = await revertInFreshProcess(driver.name, freshRunId, stateDir, {
        ...(options.execArgv ? {execArgv: options.execArgv} : {}),
        module: options.module,
        timeoutMs,
      })
      const outcome = result.faults.find((fault) => fault.faultId === faultId)
      if (outcome?.outcome !== 'reverted') {
        record(resolved.kind, name, 'failed', `the child reported ${outcome ? `${outcome.outcome}${outcome.error ? `: ${outcome.error}` : ''}` : 'nothing to revert'}`)
        return
      }
      const still = await landed(definition, state)
      record(resolved.kind, name, still ? 'failed' : 'passed', still ? 'the child said reverted, but verify still sees the fault' : 'reverted by a new process from the ledger')
    } catch (error) {
      record(resolved.kind, name, 'failed', errorMessage(error))
    } finally {
      await ledger.close()
    }
  }
}
