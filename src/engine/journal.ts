/**
 * The journal: the full, versioned record of a run, written to `.rift/runs/<run-id>/journal.json` and
 * printed by `rift run --json`. docs/journal.md documents every field; bump JOURNAL_SCHEMA_VERSION on any
 * change that is not purely additive.
 */
import {rename, writeFile} from 'node:fs/promises'

import type {Json, RevertOutcome} from '../drivers/define.js'
import type {ErrorCode} from '../errors.js'
import type {PlannedStep} from './plan.js'
import type {Verdict} from './verdict.js'
import type {WorkloadResults} from './workloads.js'
import {redact} from './redact.js'

export const JOURNAL_SCHEMA_VERSION = 1

export interface ProbeRecord {
  at: string
  detail: string
  durationMs: number
  /** Set when the probe could not run at all (as opposed to running and not being met). */
  error?: string
  name: string
  ok: boolean
  value: Json
}

export interface FaultRecord {
  driver: string
  id: string
  injectedAt: string | null
  /**
   * When inject was called: the fault's window starts here, since it may take effect before inject returns.
   * Absent from journals written before it was recorded.
   */
  injectStartedAt?: string | null
  kind: string
  /** `null` when the driver cannot verify; `false` makes the run inconclusive. */
  landed: boolean | null
  landedDetail: string
  revert: RevertOutcome | 'failed' | 'pending'
  revertError?: string
  revertedAt: string | null
  target: string
}

export interface SloResult {
  detail: string
  name: string
  objective: string
  observed: number | null
  /** The finest difference the measurement can tell apart, in the observed value's unit. */
  resolution: number | null
  samples: number
  status: 'pass' | 'fail' | 'inconclusive'
}

export interface Measurement {
  resolution: number | null
  samples: number
  unit: 'ms' | 'percent' | 'count'
  value: number
}

export interface TimelineEvent {
  at: string
  detail: string
  event: string
}

export interface JournalError {
  code: ErrorCode
  message: string
  phase: string
}

export interface Journal {
  durationMs: number
  endedAt: string
  environment: {cwd: string; hostname: string; node: string; platform: string; rift: string}
  errors: JournalError[]
  experiment: {description?: string; file: string; tags: string[]; title: string}
  exitCode: number
  faults: FaultRecord[]
  measurements: Record<string, Measurement>
  paths: {dir: string; journal: string; ledger: string}
  plan: PlannedStep[]
  probes: ProbeRecord[]
  /** One line that says why the verdict is what it is. */
  reason: string
  runId: string
  schemaVersion: typeof JOURNAL_SCHEMA_VERSION
  slos: SloResult[]
  startedAt: string
  steadyState: {after: ProbeRecord[] | null; before: ProbeRecord[] | null}
  timeline: TimelineEvent[]
  verdict: Verdict
  warnings: string[]
  /** What the workloads measured in detail: failover phases, per-window figures, the ledger's classes. */
  workloads: WorkloadResults | null
}

/** Written to a temporary file and renamed, so a reader never sees half a journal. */
export async function writeJournal(file: string, journal: Journal): Promise<void> {
  const temporary = `${file}.tmp`
  await writeFile(temporary, redact(JSON.stringify(journal, null, 2)) + '\n')
  await rename(temporary, file)
}
