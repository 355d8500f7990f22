/**
 * The write ledger's figures per window (baseline, each fault, recovery — the prober's windows): how many
 * writes were acknowledged or not, and the latency of the acknowledged ones. A write belongs to the window
 * it was sent in. Writes carry epoch times; windows are on the run's clock, whose zero is `epochOfZeroMs`.
 */
import type {WriteAttempt} from '../workloads/ledger/writer.js'
import {latencyFigures, type LatencyFigures, type WindowBounds} from './windows.js'

export interface WriteWindow extends WindowBounds {
  /** Writes sent in the window. */
  writes: number
  acked: number
  /** Refused or timed out: never acknowledged. */
  failed: number
  /** Send → acknowledgement of the acknowledged writes, ms; null when none was. */
  latency: LatencyFigures | null
}

export function measureWriteWindows(attempts: readonly WriteAttempt[], windows: readonly WindowBounds[], epochOfZeroMs: number): WriteWindow[] {
  return windows.map(({endMs, kind, name, startMs}) => {
    const inside = attempts.filter((attempt) => {
      const at = attempt.startedAtMs - epochOfZeroMs
      return at >= startMs && at < endMs
    })
    const acked = inside.filter((attempt) => attempt.outcome === 'acked')
    return {
      acked: acked.length,
      endMs,
      failed: inside.length - acked.length,
      kind,
      latency: latencyFigures(acked.map((attempt) => attempt.endedAtMs - attempt.startedAtMs)),
      name,
      startMs,
      writes: inside.length,
    }
  })
}
