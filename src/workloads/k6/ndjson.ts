/**
 * Stream-reads k6's `--out json=<file>` NDJSON (../shared/reference/k6.md §4.2) and computes per-window
 * figures: http_req_duration percentiles and count, http_req_failed rate. Windows are given in milliseconds
 * since the run started; k6's wall-clock timestamps are mapped onto that clock with the run's start time.
 *
 * The stream survives a hard kill, so a truncated last line is expected and skipped, not an error.
 */
import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'
import type {Readable} from 'node:stream'
import {createGunzip} from 'node:zlib'

export interface K6Window {
  /** Exclusive end, ms since run start. */
  endMs: number
  name: string
  /** Inclusive start, ms since run start. */
  startMs: number
}

export interface K6WindowFigures extends K6Window {
  /** http_req_duration over the window, in ms; percentiles are null when the window holds no request. */
  duration: {count: number; max: number | null; p50: number | null; p90: number | null; p95: number | null; p99: number | null; p999: number | null}
  /** http_req_failed over the window: `rate` is failures / samples (0..1), null without samples. */
  failed: {failures: number; rate: number | null; samples: number}
}

export interface K6StreamMetric {
  /** Points seen for this metric over the whole run. */
  points: number
  /** Sub-metrics declared in the Metric line, with their own point counts. */
  submetrics: Record<string, {points: number; tags: Record<string, string>}>
  thresholds: string[]
  type: string
}

export interface K6StreamResult {
  /** Point timestamps of the first and last point, in ms since run start; null without points. */
  firstPointMs: number | null
  lastPointMs: number | null
  /** Lines that were not JSON or not a k6 Metric/Point (a truncated last line after a kill, for instance). */
  malformedLines: number
  metrics: Record<string, K6StreamMetric>
  /** The same figures over every point in the stream, whatever its time. */
  overall: Omit<K6WindowFigures, keyof K6Window>
  windows: K6WindowFigures[]
}

export interface ReadStreamOptions {
  /** The run's start, in ms since the epoch (`Date.now()` when k6 was started). */
  runStartWallMs: number
  windows: readonly K6Window[]
}

/** Reads the file (gunzipping a `.gz`). */
export async function readK6Stream(file: string, options: ReadStreamOptions): Promise<K6StreamResult> {
  const raw = createReadStream(file)
  const input: Readable = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw
  raw.on('error', (error) => input.destroy(error))
  return readK6Lines(input, options)
}

export async function readK6Lines(input: Readable | AsyncIterable<string>, options: ReadStreamOptions): Promise<K6StreamResult> {
  const {runStartWallMs, windows} = options
  // The last slot collects the whole run.
  const durations: number[][] = [...windows, null].map(() => [])
  const failed = [...windows, null].map(() => ({failures: 0, samples: 0}))
  const all = windows.length
  const metrics: Record<string, K6StreamMetric> = {}
  let malformedLines = 0
  let firstPointMs: number | null = null
  let lastPointMs: number | null = null

  const metric = (name: string, type = 'unknown'): K6StreamMetric => (metrics[name] ??= {points: 0, submetrics: {}, thresholds: [], type})
  const lines = 'pipe' in input ? createInterface({crlfDelay: Infinity, input}) : input
  for await (const line of lines) {
    if (line.trim() === '') continue
    let entry: unknown
    try {
      entry = JSON.parse(line)
    } catch {
      malformedLines++
      continue
    }
    if (!isObject(entry) || typeof entry.metric !== 'string' || !isObject(entry.data)) {
      malformedLines++
      continue
    }
    const {data} = entry
    if (entry.type === 'Metric') {
      const declared = metric(entry.metric, typeof data.type === 'string' ? data.type : 'unknown')
      if (typeof data.type === 'string') declared.type = data.type
      declared.thresholds = Array.isArray(data.thresholds) ? (data.thresholds as unknown[]).flatMap(thresholdText) : []
      if (Array.isArray(data.submetrics)) {
        for (const sub of data.submetrics as unknown[]) {
          if (isObject(sub) && typeof sub.name === 'string' && isObject(sub.tags)) {
            declared.submetrics[sub.name] ??= {points: 0, tags: stringRecord(sub.tags)}
          }
        }
      }
      continue
    }
    if (entry.type !== 'Point' || typeof data.value !== 'number' || typeof data.time !== 'string') {
      malformedLines++
      continue
    }
    const at = toRunClockMs(data.time, runStartWallMs)
    if (at === null) {
      malformedLines++
      continue
    }
    firstPointMs = firstPointMs === null ? at : Math.min(firstPointMs, at)
    lastPointMs = lastPointMs === null ? at : Math.max(lastPointMs, at)
    const seen = metric(entry.metric)
    seen.points++
    const tags = isObject(data.tags) ? data.tags : {}
    for (const sub of Object.values(seen.submetrics)) if (Object.entries(sub.tags).every(([key, value]) => tags[key] === value)) sub.points++

    if (entry.metric !== 'http_req_duration' && entry.metric !== 'http_req_failed') continue
    for (let index = 0; index <= all; index++) {
      const window = windows[index] // undefined for the whole-run slot
      if (window !== undefined && (at < window.startMs || at >= window.endMs)) continue
      if (entry.metric === 'http_req_duration') durations[index]!.push(data.value)
      else {
        failed[index]!.samples++
        if (data.value !== 0) failed[index]!.failures++
      }
    }
  }

  const figures = (index: number): Omit<K6WindowFigures, keyof K6Window> => {
    const values = durations[index]!.sort((a, b) => a - b)
    const {failures, samples} = failed[index]!
    return {
      duration: {count: values.length, max: values.at(-1) ?? null, p50: percentile(values, 50), p90: percentile(values, 90), p95: percentile(values, 95), p99: percentile(values, 99), p999: percentile(values, 99.9)},
      failed: {failures, rate: samples === 0 ? null : failures / samples, samples},
    }
  }

  return {
    firstPointMs,
    lastPointMs,
    malformedLines,
    metrics,
    overall: figures(all),
    windows: windows.map((window, index) => ({...window, ...figures(index)})),
  }
}

/**
 * The percentile of sorted values, interpolated between the closest ranks exactly as k6's trend sink does
 * (metrics/sink.go), so a window spanning the whole run agrees with k6's own `p(N)`.
 */
export function percentile(sorted: readonly number[], pct: number): number | null {
  if (sorted.length === 0) return null
  if (sorted.length === 1) return sorted[0]!
  const rank = (pct / 100) * (sorted.length - 1)
  const low = sorted[Math.floor(rank)]!
  const high = sorted[Math.ceil(rank)]!
  return low + (high - low) * (rank - Math.floor(rank))
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/

/** RFC3339 with up to nanoseconds → ms since the epoch (to about a quarter of a microsecond: doubles run out). */
export function parseTimestampMs(text: string): number | null {
  return toRunClockMs(text, 0)
}

/**
 * A k6 timestamp on the run clock: ms since `runStartWallMs`. The whole milliseconds are subtracted before the
 * sub-millisecond part is added, so `…:04.999999999Z` stays before `…:05Z` (an epoch in ms plus a nanosecond
 * fraction would round it up).
 */
export function toRunClockMs(text: string, runStartWallMs: number): number | null {
  const match = RFC3339.exec(text)
  if (!match) return null
  const whole = Date.parse(`${match[1]}${match[3]}`)
  if (Number.isNaN(whole)) return null
  const fraction = match[2] === undefined ? 0 : Number(`0.${match[2]}`) * 1000
  return whole - runStartWallMs + fraction
}

function thresholdText(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (isObject(value) && typeof value.threshold === 'string') return [value.threshold]
  return []
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item
  return out
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
