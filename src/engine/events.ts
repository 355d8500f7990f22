import type {ExperimentPlan, PlannedFault} from './plan.js'
import type {FaultRecord, Journal, ProbeRecord} from './journal.js'
import type {LiveWorkloads} from './live.js'

export type Phase = 'plan' | 'preflight' | 'steady-state-before' | 'method' | 'steady-state-after' | 'verdict' | 'rollback'

export interface RunStartInfo {
  experimentTitle: string
  plan: ExperimentPlan
  runDir: string
  /** `guardrails.maxDuration` in ms: the method is stopped when the run has lasted this long. */
  maxDurationMs: number
  /**
   * Puts an operator's note on the journal's timeline (event `note`), stamped now. Accepted until the
   * journal is written; later calls are ignored. For live views and game days.
   */
  note: (text: string) => void
}

/**
 * Hooks reporters implement; every one optional. The engine awaits each hook but catches whatever it throws
 * and records it as a warning: a broken reporter never stops a rollback.
 */
export interface RunEvents {
  /** After planning, before anything is connected or injected. */
  onRunStart?(info: RunStartInfo): void | Promise<void>
  /** On entering each phase of the run. */
  onPhase?(phase: Phase): void | Promise<void>
  /** After each probe, in the steady state or the method. */
  onProbe?(record: ProbeRecord, phase: Phase): void | Promise<void>
  /** After a fault was injected and verified (or found not to have landed). */
  onFaultInjected?(record: FaultRecord): void | Promise<void>
  /** After each revert attempt, whatever its outcome. */
  onFaultReverted?(record: FaultRecord): void | Promise<void>
  /** Waiting: a wait step or a fault held for its duration. */
  onWait?(info: {label: string; ms: number}): void | Promise<void>
  onWarning?(message: string): void | Promise<void>
  /**
   * Once, when the workloads have started (only for experiments with a `workload:`): read-only views of the
   * prober's samples and the ledger writer's attempts so far, for live views to poll. Nothing is copied
   * until a view asks.
   */
  onWorkloads?(live: LiveWorkloads): void | Promise<void>
  /** Once, with the final journal, after every revert. */
  onRunEnd?(journal: Journal): void | Promise<void>
}

/** What the operator decided before a fault (`rift run --gameday`). */
export type FaultDecision = 'inject' | 'skip' | 'abort'

/**
 * Called before each fault step, before anything about the fault is ledgered or injected. `inject` goes on;
 * `skip` leaves the fault out (a `fault:skipped` event on the timeline, and the run is at best inconclusive:
 * the experiment did not run as written); `abort` ends the method and reverts everything held, as an
 * interruption does. The signal aborts when the run is interrupted while the callback waits; the engine then
 * stops waiting for it. A callback that throws counts as `abort`, with a warning: not injecting is the safe side.
 */
export type BeforeFault = (step: PlannedFault, signal: AbortSignal) => FaultDecision | Promise<FaultDecision>
