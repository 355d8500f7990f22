import type {ExperimentPlan} from './plan.js'
import type {FaultRecord, Journal, ProbeRecord} from './journal.js'

export type Phase = 'plan' | 'preflight' | 'steady-state-before' | 'method' | 'steady-state-after' | 'verdict' | 'rollback'

/**
 * Hooks reporters implement; every one optional. The engine awaits each hook but catches whatever it throws
 * and records it as a warning: a broken reporter never stops a rollback.
 */
export interface RunEvents {
  /** After planning, before anything is connected or injected. */
  onRunStart?(info: {experimentTitle: string; plan: ExperimentPlan; runDir: string}): void | Promise<void>
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
  /** Once, with the final journal, after every revert. */
  onRunEnd?(journal: Journal): void | Promise<void>
}
