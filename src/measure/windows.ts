/**
 * Per-window figures from a timeline: availability and latency percentiles (HDR histograms) for the baseline,
 * each fault and the recovery window.
 *
 * A sample belongs to the window it was sent in, `[startMs, endMs)`. Availability counts every sample.
 * Latency percentiles are, by default, over successful samples only, as latency SLIs usually are: a fast 503
 * would make a failing window look quick, and a timeout would only report the probe deadline; failures are the
 * availability figure's business. `latencyOf: 'all'` includes them.
 *
 * Latencies are recorded in the histogram in microseconds with 3 significant digits, so a percentile is exact
 * to 0.1% of its value; `max` is the exact largest sample. Every window carries its sample count and the
 * timeline's resolution (the probe interval: a window boundary is known to within it).
 */
import {build} from 'hdr-histogram-js'

import type {Measurement} from '../engine/journal.js'
import {availabilityPercent, inferIntervalMs, type Sample} from '../workloads/timeline.js'

export type WindowKind = 'baseline' | 'fault' | 'recovery'

export interface WindowBounds {
  /** `baseline`, `recovery`, or the fault's name. */
  name: string
  kind: WindowKind
  startMs: number
  endMs: number
}

export interface LatencyFigures {
  /** Samples the percentiles are computed from. */
  count: number
  p50: number
  p90: number
  p95: number
  p99: number
  p999: number
  max: number
}

export interface WindowFigures extends WindowBounds {
  /** Samples sent in the window. */
  samples: number
  /** Successful samples. */
  ok: number
  /** Percent of samples that succeeded (99.5, not 0.995); null with no samples. */
  availability: number | null
  /** Null when no sample qualified. */
  latency: LatencyFigures | null
  /** Which samples the latency figures cover. */
  latencyOf: 'ok' | 'all'
  /** The probe interval; null when unknown. */
  resolutionMs: number | null
}

export interface WindowOptions {
  /** The probe interval; inferred from the samples (their median gap) when not given. */
  intervalMs?: number
  /** Latency over successful samples (default) or over all of them. */
  latencyOf?: 'ok' | 'all'
}

export function measureWindows(timeline: readonly Sample[], windows: readonly WindowBounds[], options: WindowOptions = {}): WindowFigures[] {
  const resolutionMs = options.intervalMs ?? inferIntervalMs(timeline)
  const latencyOf = options.latencyOf ?? 'ok'
  return windows.map((window) => {
    const inside = timeline.filter((s) => s.at >= window.startMs && s.at < window.endMs)
    const ok = inside.filter((s) => s.ok).length
    return {
      ...window,
      availability: availabilityPercent(inside),
      latency: latencyFigures((latencyOf === 'ok' ? inside.filter((s) => s.ok) : inside).map((s) => s.latencyMs)),
      latencyOf,
      ok,
      resolutionMs,
      samples: inside.length,
    }
  })
}

/** HDR percentiles of latencies in ms; null for none. */
export function latencyFigures(latenciesMs: readonly number[]): LatencyFigures | null {
  if (latenciesMs.length === 0) return null
  const histogram = build({numberOfSignificantValueDigits: 3})
  let max = 0
  for (const ms of latenciesMs) {
    // Microseconds, at least 1: the histogram records positive integers.
    histogram.recordValue(Math.max(1, Math.round(ms * 1000)))
    if (ms > max) max = ms
  }
  const at = (percentile: number): number => Math.min(max, histogram.getValueAtPercentile(percentile) / 1000)
  const figures = {count: latenciesMs.length, max, p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9)}
  histogram.destroy()
  return figures
}

export interface FaultSpan {
  name: string
  startMs: number
  endMs: number
}

/**
 * The standard windows of a run: baseline from `startMs` to the first fault, one per fault, and recovery
 * from the end of the last fault to `endMs`. Time between two faults belongs to neither.
 */
export function runWindows(run: {startMs?: number; endMs: number; faults: readonly FaultSpan[]}): WindowBounds[] {
  const faults = [...run.faults].sort((a, b) => a.startMs - b.startMs)
  const first = faults[0]
  if (first === undefined) return [{endMs: run.endMs, kind: 'baseline', name: 'baseline', startMs: run.startMs ?? 0}]
  const lastEnd = Math.max(...faults.map((f) => f.endMs))
  return [
    {endMs: first.startMs, kind: 'baseline', name: 'baseline', startMs: run.startMs ?? 0},
    ...faults.map((f): WindowBounds => ({endMs: f.endMs, kind: 'fault', name: f.name, startMs: f.startMs})),
    {endMs: run.endMs, kind: 'recovery', name: 'recovery', startMs: lastEnd},
  ]
}

/**
 * One window's figures as journal measurements: `availability` and `errorRate` in percent (resolution: the
 * probe interval), `p50`…`p999` in ms (resolution: the histogram's precision, 0.1% of the value and at least
 * 1 µs). Percentiles are left out when the window has no latency figures.
 */
export function windowMeasurements(window: WindowFigures): Record<string, Measurement> {
  const out: Record<string, Measurement> = {}
  const resolution = window.resolutionMs
  if (window.availability !== null) {
    out.availability = {resolution, samples: window.samples, unit: 'percent', value: window.availability}
    out.errorRate = {resolution, samples: window.samples, unit: 'percent', value: 100 - window.availability}
  }
  const latency = window.latency
  if (latency !== null) {
    for (const key of ['p50', 'p90', 'p95', 'p99', 'p999'] as const) {
      out[key] = {resolution: Math.max(0.001, latency[key] / 1000), samples: latency.count, unit: 'ms', value: latency[key]}
    }
  }
  return out
}
