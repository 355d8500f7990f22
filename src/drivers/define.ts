/**
 * The driver SDK: the only surface through which the engine knows drivers, and the one plugin authors write
 * against. A driver turns region-level faults (and its own raw actions) into backend actions.
 *
 * The life of a fault: `plan` (pure) → the engine writes the plan's state to the run's ledger and fsyncs it →
 * `inject` → `verify` (did it land?) → `revert`. `revert` may run in a fresh process from the ledger alone,
 * more than once, or without `inject` ever having run; it must be idempotent.
 */
import type {z} from 'zod'

import type {ActionStep, FaultKind, FaultStep, Link} from '../experiment/schema.js'
import {DRIVER_SDK_VERSION} from './sdk-version.js'

export type Json = string | number | boolean | null | Json[] | {[key: string]: Json}

/** "Already gone" is a success, never an error: a second rollback must be harmless. */
export type RevertOutcome = 'reverted' | 'already-reverted'

export interface Region {
  name: string
  services: Record<string, string>
  tags: Record<string, string>
}

export interface Topology {
  links: Link[]
  regions: Region[]
}

/** What `plan` may use besides the fault itself. Names derived from `runId` and `faultId` make revert findable. */
export interface PlanContext {
  /** The driver's validated config (pure data): a plan may depend on what the backend is. */
  config?: unknown
  /**
   * How long the step holds the fault. Drivers whose backend can end a fault by itself (a FIS action's
   * duration) pass it on, so the fault ends even if rift never returns.
   */
  durationMs?: number
  /** Stable within the run: `f1`, `f2`, … in method order. */
  faultId: string
  runId: string
  topology: Topology
}

/** One concrete thing the driver will do, as `rift plan` shows it. */
export interface PlannedAction {
  /** For example `add timeout toxic rift-20261126-f1 to proxy client-us-east`. */
  description: string
}

export type FaultPlan<S extends Json = Json> =
  | {
      actions: PlannedAction[]
      /** What the driver cannot honour exactly (fidelity gaps), shown by `rift plan`. */
      fidelity: string[]
      ok: true
      /**
       * The regions whose resources this fault changes, when that differs from the regions its parameters
       * name (a cloud region outage also changes the other regions). Checked against `guardrails.allowRegions`.
       */
      regions?: string[]
      /** Everything `revert` needs, written to the ledger before `inject`. */
      state: S
      /** The concrete thing faulted, for the journal: a link, a set of links, an experiment template. */
      target: string
    }
  | {ok: false; reason: string; suggestions?: string[]}

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
}

export interface FaultContext<C, S extends Json> {
  /**
   * Ledgers (and fsyncs) an enriched state at once, before `inject` returns: call it with a before-image
   * before overwriting something, or with a cloud-assigned id as soon as it is known, so that a crash in
   * the middle of `inject` still leaves `revert` what it needs. Absent outside a run (tests, previews).
   */
  checkpoint?: (state: S) => Promise<void>
  client: C
  log: Logger
  /** Aborted when the run is interrupted; a revert gets its own signal, never the run's. */
  signal: AbortSignal
  state: S
}

/** What `rift plan --preview` shows: what the backend resolved the fault's targets to, without injecting it. */
export interface Preview {
  /** Lines for people: what was asked, what was resolved, anything skipped. */
  notes: string[]
  targets: {id: string; kind: string; region?: string}[]
}

/** Who a live driver's credentials are, asked before anything changes (AWS: STS GetCallerIdentity). */
export interface Identity {
  account: string
  /** The principal, for the journal; never a secret. */
  principal: string
}

export interface Verification {
  detail: string
  /** `false` makes the run inconclusive: a fault that did not land can never pass. */
  landed: boolean
}

export interface FaultDefinition<C, P, S extends Json> {
  /** Validates the fault's parameters (for raw actions, `params`; for region faults, the whole step). */
  readonly params: z.ZodType<P>
  /** Pure and deterministic: the same input gives the same plan. No I/O. */
  plan(params: P, context: PlanContext): FaultPlan<S>
  /** Apply the fault. May return an enriched state (say, a cloud-assigned id), which is ledgered too. */
  inject(context: FaultContext<C, S>): Promise<S | void>
  /** Check that the fault took effect, from the outside where possible. */
  verify?(context: FaultContext<C, S>): Promise<Verification>
  /**
   * For `rift plan --preview`: ask the backend what the fault would hit, changing nothing that matters
   * (FIS: a target preview that runs no action). Anything it creates it removes before returning.
   */
  preview?(context: FaultContext<C, S>): Promise<Preview>
  /** Undo the fault. Idempotent; MAY run after a partial inject, or in a new process from the ledger. */
  revert(context: FaultContext<C, S>): Promise<RevertOutcome>
  readonly summary: string
}

export interface ProbeDefinition<C, P> {
  readonly params: z.ZodType<P>
  /** Returns a value; the engine, not the probe, compares it with the tolerance. */
  run(context: {client: C; log: Logger; params: P; signal: AbortSignal}): Promise<Json>
  readonly summary: string
}

export interface DriverCapabilities {
  /** Where the fault lands; shown by `rift drivers`. */
  readonly blastRadius: 'process' | 'host' | 'network' | 'cloud-account'
  /**
   * Touches real infrastructure. Such a driver acts only under `rift run --live` (confirmed on a terminal,
   * or with `--yes`), in an experiment that lists `guardrails.allowAccounts` and `guardrails.allowRegions`.
   */
  readonly live: boolean
  /** `revert` needs only the ledgered state, so `rift rollback` works in a new process. */
  readonly resumableRevert: boolean
  /**
   * How long one revert may take before it counts as failed (default 30 s). A revert that waits for a cloud
   * to confirm (a FIS experiment to stop, a DNS change to be INSYNC) needs longer.
   */
  readonly revertTimeoutMs?: number
}

/** Region faults receive their step, typed by kind. */
export type RegionFaults<C> = {
  [K in FaultKind]?: FaultDefinition<C, Extract<FaultStep, {fault: K}>, any>
}

export interface DriverConnectContext {
  log: Logger
  signal: AbortSignal
  /** The experiment's topology during a run; absent when `rift rollback` connects from the ledger alone. */
  topology?: Topology
  /** The folder rift keeps state in (`.rift` under the working directory). */
  stateDir: string
}

export interface DriverDefinition<C = any, Cfg = any> {
  /** Raw actions, `<driver>.<action>` in experiments. */
  readonly actions: Record<string, FaultDefinition<C, any, any>>
  readonly capabilities: DriverCapabilities
  readonly config: z.ZodType<Cfg>
  connect(config: Cfg, context: DriverConnectContext): Promise<C>
  disconnect?(client: C): Promise<void>
  /**
   * Live drivers: the account the credentials belong to. The engine calls it after `connect` and before
   * anything changes, and refuses the run when the account is not in `guardrails.allowAccounts`.
   */
  identity?(client: C, context: {signal: AbortSignal}): Promise<Identity>
  readonly faults: RegionFaults<C>
  /** General notes on what this driver cannot honour. */
  readonly fidelity: readonly string[]
  /** kebab-case; the registry key and the name in experiment files. */
  readonly name: string
  readonly probes: Record<string, ProbeDefinition<C, any>>
  /** The driver SDK version the driver was written against; `defineDriver` fills it in. */
  readonly sdkVersion?: string
  readonly summary: string
}

export type Driver = Readonly<DriverDefinition>

const KEBAB = /^[a-z0-9][a-z0-9-]*$/

/**
 * Checks what types cannot (kebab-case names, a non-empty summary, at least one fault, action or probe) and freezes
 * the result, so a mistake in a plugin shows when it is loaded rather than half-way through a run.
 */
export function defineDriver<C, Cfg>(definition: DriverDefinition<C, Cfg>): Driver {
  const problems = driverProblems(definition)
  if (problems.length > 0) throw new TypeError(`Invalid driver "${definition.name}": ${problems.join('; ')}`)
  return Object.freeze({...definition, sdkVersion: definition.sdkVersion ?? DRIVER_SDK_VERSION})
}

/**
 * What is wrong with a driver, checked without trusting its type: a plugin's module may export anything. The
 * registry runs it on every driver it loads, first-party or plugin, so both meet the same bar.
 */
export function driverProblems(definition: DriverDefinition): string[] {
  if (typeof definition !== 'object' || definition === null) return ['not an object']
  const problems: string[] = []
  if (typeof definition.name !== 'string') return ['has no name']
  for (const key of ['faults', 'actions', 'probes'] as const) {
    if (typeof definition[key] !== 'object' || definition[key] === null) problems.push(`${key} is not an object`)
  }
  if (typeof definition.connect !== 'function') problems.push('connect is not a function')
  if (typeof definition.config?.safeParse !== 'function') problems.push('config is not a zod schema')
  if (!Array.isArray(definition.fidelity)) problems.push('fidelity is not a list')
  if (typeof definition.summary !== 'string') problems.push('summary is not a string')
  if (problems.length > 0) return problems
  if (!KEBAB.test(definition.name)) problems.push(`name "${definition.name}" is not kebab-case`)
  if (definition.summary.trim() === '') problems.push('summary is empty')
  for (const key of [...Object.keys(definition.actions), ...Object.keys(definition.probes)]) {
    if (!KEBAB.test(key)) problems.push(`action or probe "${key}" is not kebab-case`)
  }
  if (Object.keys(definition.faults).length + Object.keys(definition.actions).length + Object.keys(definition.probes).length === 0) {
    problems.push('declares no faults, actions or probes')
  }
  if (definition.capabilities?.live && typeof definition.identity !== 'function') problems.push('a live driver must implement identity(), so the account allowlist can be checked')
  return problems
}

/** A region-level step or a raw action step, as the engine hands it to a driver. */
export type FaultRequest = FaultStep | ActionStep
