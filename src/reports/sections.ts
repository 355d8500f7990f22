/** Content that the Markdown summary and the HTML report share, so both explain a run in the same words. */
import type {FailoverPhaseName, FailoverResult} from '../measure/failover.js'
import type {LedgerClass} from '../workloads/ledger/checker.js'
import {formatMs} from './figures.js'

/** One line per class of the write ledger, for readers who have not read the checker's comment. */
export const LEDGER_CLASS_MEANINGS: Record<LedgerClass, string> = {
  'acked-and-lost': 'acknowledged, then not found after recovery: lost writes',
  'acked-and-present': 'acknowledged and read back intact',
  corrupted: 'found, but with a value this run never wrote',
  duplicated: 'stored more than once, or under another key',
  stale: 'an earlier value of the key came back',
  'unacked-and-absent': 'refused or timed out, and not stored: expected',
  'unacked-but-present': 'the client was told it failed, yet it was stored',
  unreadable: 'could not be read back: fate unknown',
}

export const PHASE_LABELS: Record<FailoverPhaseName, string> = {
  'fault-start': 'fault injected',
  'first-failure': 'first failed probe',
  'last-failure': 'last failed probe',
  recovered: 'recovered',
}

export interface FailoverRow {
  atMs: number
  label: string
  name: FailoverPhaseName
  sinceFault: string
  sinceRun: string
}

export function failoverRows(failover: FailoverResult): FailoverRow[] {
  return failover.phases.map((phase) => ({
    atMs: phase.atMs,
    label: phase.name === 'recovered' ? `recovered (${failover.sustain} successes in a row)` : PHASE_LABELS[phase.name],
    name: phase.name,
    sinceFault: phase.name === 'fault-start' ? '0' : `+${formatMs(phase.atMs - failover.faultStartMs)}`,
    sinceRun: formatMs(phase.atMs),
  }))
}
