/**
 * The state of one run, passed to every phase instead of long parameter lists: the plan, the ledger, the
 * journal being built, the verdicts raised so far, and the events sink that never throws.
 */
import {hostname} from 'node:os'

import type {Logger} from '../drivers/define.js'
import type {DriverRegistry} from '../drivers/registry.js'
import {errorMessage, type ErrorCode} from '../errors.js'
import type {Experiment} from '../experiment/experiment.js'
import {RIFT_VERSION} from '../version.js'
import {runClock} from '../workloads/timeline.js'
import type {BeforeFault, RunEvents} from './events.js'
import type {FaultRecord, JournalError, Measurement, ProbeRecord, TimelineEvent} from './journal.js'
import type {LedgerWriter} from './ledger.js'
import type {ExperimentPlan} from './plan.js'
import type {RunPaths} from './run-dir.js'
import {redact} from './redact.js'
import {worstVerdict, type Verdict} from './verdict.js'

/** How the method is steered from outside: the game-day prompt, and stopping the method on the operator's word. */
export interface RunControl {
  beforeFault?: BeforeFault
  /** Stops the method as an interruption does (everything held is reverted); `reason` becomes the signal's reason. */
  stopMethod(reason: string): void
}

interface Finding {
  reason: string
  verdict: Verdict
}

export class RunContext {
  readonly clients = new Map<string, unknown>()
  readonly errors: JournalError[] = []
  readonly faults: FaultRecord[] = []
  readonly findings: Finding[] = []
  readonly log: Logger
  readonly measurements: Record<string, Measurement> = {}
  readonly probes: ProbeRecord[] = []
  readonly startedAt = new Date()
  /** Monotonic ms since the run started: the zero that workload samples and fault spans share. */
  readonly clock = runClock()
  readonly steadyState: {after: ProbeRecord[] | null; before: ProbeRecord[] | null} = {after: null, before: null}
  readonly timeline: TimelineEvent[] = []
  readonly warnings: string[] = []
  /** The caller opted in to live drivers (`rift run --live`). */
  liveAllowed = false

  constructor(
    readonly experiment: Experiment,
    readonly plan: ExperimentPlan,
    readonly registry: DriverRegistry,
    readonly paths: RunPaths,
    readonly ledger: LedgerWriter,
    readonly stateDir: string,
    /** Aborted on interruption or when a guardrail trips: stops the method, never a revert. */
    readonly signal: AbortSignal,
    private readonly events: RunEvents,
    readonly control: RunControl = {stopMethod: () => {}},
  ) {
    this.log = {
      debug: () => {},
      info: (message) => this.mark('log', message),
      warn: (message) => this.warn(message),
    }
  }

  get runId(): string {
    return this.plan.runId
  }

  /** Raise a verdict; the worst one raised names the run. */
  flag(verdict: Verdict, text: string): void {
    const reason = redact(text)
    this.findings.push({reason, verdict})
    this.mark(`verdict:${verdict}`, reason)
  }

  fail(code: ErrorCode, phase: string, error: unknown, verdict: Verdict = 'error'): void {
    const message = redact(errorMessage(error))
    this.errors.push({code, message, phase})
    this.flag(verdict, message)
  }

  verdict(): {reason: string; verdict: Verdict} {
    const verdict = worstVerdict(this.findings.map((finding) => finding.verdict))
    const reason = this.findings.find((finding) => finding.verdict === verdict)?.reason
    const slos = Object.keys(this.experiment.doc.slos).length
    const passed = `the hypothesis held, ${slos > 0 ? `all ${slos} SLO(s) were met` : 'no SLOs were declared'} and everything was reverted`
    return {reason: reason ?? passed, verdict}
  }

  mark(event: string, detail: string): void {
    this.timeline.push({at: new Date().toISOString(), detail: redact(detail), event})
  }

  warn(text: string): void {
    const message = redact(text)
    this.warnings.push(message)
    this.mark('warning', message)
    void this.emit('onWarning', message)
  }

  /** Calls a reporter hook; whatever it throws becomes a warning, never an exception. */
  async emit<K extends keyof RunEvents>(hook: K, ...args: Parameters<NonNullable<RunEvents[K]>>): Promise<void> {
    const handler = this.events[hook] as ((...a: typeof args) => void | Promise<void>) | undefined
    if (!handler) return
    try {
      await handler.apply(this.events, args)
    } catch (error) {
      const message = `reporter hook ${hook} failed: ${errorMessage(error)}`
      this.warnings.push(message)
      this.mark('warning', message)
    }
  }

  environment(): {cwd: string; hostname: string; node: string; platform: string; rift: string} {
    return {
      cwd: process.cwd(),
      hostname: hostname(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      rift: RIFT_VERSION,
    }
  }
}

/** Kept in step with package.json by a test. */
export {RIFT_VERSION} from '../version.js'
