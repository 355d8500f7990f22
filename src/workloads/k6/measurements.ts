/**
 * k6's per-window figures as journal measurements (`Record<string, Measurement>`), named so the SLO names
 * (`p99`, `errorRate`, `availability`) can be looked up per window: `k6.<window>.p99`, and `k6.p99` for the
 * whole run. Percentages are percentages (0.6 failed → `errorRate` 60), as the SLO objectives are written.
 * A window without samples gets no entry: a missing measurement is inconclusive, a made-up zero would not be.
 */
import type {Measurement} from '../../engine/journal.js'
import type {K6StreamResult, K6Window, K6WindowFigures} from './ndjson.js'

/** k6 records durations from Go's nanosecond clock and writes them in ms to microseconds. */
export const K6_LATENCY_RESOLUTION_MS = 0.001

export function k6Measurements(stream: K6StreamResult, prefix = 'k6'): Record<string, Measurement> {
  const out: Record<string, Measurement> = {}
  add(out, prefix, stream.overall)
  for (const window of stream.windows) add(out, `${prefix}.${window.name}`, window)
  return out
}

function add(out: Record<string, Measurement>, prefix: string, figures: Omit<K6WindowFigures, keyof K6Window>): void {
  const {duration, failed} = figures
  for (const key of ['p50', 'p90', 'p95', 'p99'] as const) {
    const value = duration[key]
    if (value !== null) out[`${prefix}.${key}`] = {resolution: K6_LATENCY_RESOLUTION_MS, samples: duration.count, unit: 'ms', value}
  }
  if (failed.rate !== null) {
    const resolution = 100 / failed.samples
    out[`${prefix}.errorRate`] = {resolution, samples: failed.samples, unit: 'percent', value: failed.rate * 100}
    out[`${prefix}.availability`] = {resolution, samples: failed.samples, unit: 'percent', value: 100 - failed.rate * 100}
  }
}
