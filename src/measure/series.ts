/**
 * A timeline reduced to evenly spaced buckets for charts (the HTML report, the live view's sparkline): each
 * bucket counts the samples sent in it and gives their median and worst latency. At most `maxPoints`
 * buckets, so a long soak still makes a small journal; the bucket is never finer than the probe interval.
 */
import type {Sample} from '../workloads/timeline.js'

export interface SeriesPoint {
  /** The bucket's start: ms since the run's start. */
  atMs: number
  failed: number
  /** Null when the bucket had no successful sample. */
  maxMs: number | null
  ok: number
  p50Ms: number | null
}

export interface Series {
  bucketMs: number
  points: SeriesPoint[]
}

export function bucketSeries(samples: readonly Sample[], options: {endMs: number; intervalMs: number; maxPoints?: number; startMs: number}): Series {
  const span = Math.max(0, options.endMs - options.startMs)
  const maxPoints = options.maxPoints ?? 600
  const bucketMs = Math.max(options.intervalMs, Math.ceil(span / maxPoints), 1)
  const count = Math.max(1, Math.ceil(span / bucketMs))
  const buckets = Array.from({length: count}, () => ({failed: 0, latencies: [] as number[], ok: 0}))
  for (const sample of samples) {
    const index = Math.floor((sample.at - options.startMs) / bucketMs)
    const bucket = buckets[index]
    if (!bucket) continue
    if (sample.ok) {
      bucket.ok += 1
      bucket.latencies.push(sample.latencyMs)
    } else {
      bucket.failed += 1
    }
  }
  const points = buckets.map((bucket, index) => {
    const sorted = bucket.latencies.sort((a, b) => a - b)
    return {
      atMs: options.startMs + index * bucketMs,
      failed: bucket.failed,
      maxMs: sorted.length > 0 ? round(sorted[sorted.length - 1] as number) : null,
      ok: bucket.ok,
      p50Ms: sorted.length > 0 ? round(sorted[Math.floor((sorted.length - 1) / 2)] as number) : null,
    }
  })
  return {bucketMs, points}
}

const round = (value: number): number => Math.round(value * 1000) / 1000
