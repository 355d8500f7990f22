/**
 * Read-only views of the running workloads for live reporters (the terminal's live view): the prober's
 * samples and the ledger writer's attempts, read through cursors so that a view polling a few times a second
 * copies only what is new. Nothing here changes what the workloads do or measure.
 */
import type {WriteAttempt} from '../workloads/ledger/writer.js'
import type {RunClock, Sample} from '../workloads/timeline.js'

export interface LiveProber {
  target: string
  intervalMs: number
  /** Samples completed since `cursor` (0, or a cursor this returned), in completion order, and the next cursor. */
  samplesSince(cursor: number): {cursor: number; samples: readonly Sample[]}
}

export interface LiveLedger {
  /** The writer's interval between writes, ms. */
  intervalMs: number
  /** Writes sent so far. */
  issued(): number
  /** Ticks skipped because every concurrency slot was busy. */
  dropped(): number
  /** Attempts settled (acknowledged, failed or timed out) since `cursor`, in settling order, and the next cursor. */
  attemptsSince(cursor: number): {cursor: number; attempts: readonly WriteAttempt[]}
}

export interface LiveWorkloads {
  /** The run's clock: samples' `at` are ms on it. */
  clock: RunClock
  prober: LiveProber | null
  ledger: LiveLedger | null
}

/** The view over whichever workloads started. */
export function liveWorkloads(
  clock: RunClock,
  prober: Pick<LiveProber, 'intervalMs' | 'samplesSince'> | undefined,
  target: string | undefined,
  writer: {intervalMs: number; readonly issued: number; readonly dropped: number; attemptsSince(cursor: number): {cursor: number; attempts: readonly WriteAttempt[]}} | undefined,
): LiveWorkloads {
  return {
    clock,
    ledger: writer
      ? {attemptsSince: (cursor) => writer.attemptsSince(cursor), dropped: () => writer.dropped, intervalMs: writer.intervalMs, issued: () => writer.issued}
      : null,
    prober: prober ? {intervalMs: prober.intervalMs, samplesSince: (cursor) => prober.samplesSince(cursor), target: target ?? ''} : null,
  }
}
