/**
 * A workload's timeline: one sample per request, timed on the monotonic clock (`performance.now()`) relative
 * to the run's start, so that samples, fault starts and window boundaries from different parts of a run can be
 * compared without wall-clock jumps (NTP steps, DST) getting in the way.
 */

export interface Sample {
  /** When the request was sent: ms since the run's start, from `performance.now()`. */
  at: number
  /** Whether the request succeeded (for the prober: a 2xx or 3xx response within the deadline). */
  ok: boolean
  /** From send to the end of the response, or to the failure. */
  latencyMs: number
  /** Why the request failed: `HTTP 503`, `no response within 2000ms`, `ECONNREFUSED`… */
  error?: string
}

/** A run's time origin on the `performance.now()` clock; `at` values are `now() - origin`. */
export interface RunClock {
  readonly origin: number
  now(): number
}

/** A clock whose zero is `origin` (a `performance.now()` reading), by default the moment it is created. */
export function runClock(origin: number = performance.now()): RunClock {
  return {origin, now: () => performance.now() - origin}
}

/** The samples in time order (a copy; the input is left alone). */
export function byTime(samples: readonly Sample[]): Sample[] {
  return [...samples].sort((a, b) => a.at - b.at)
}

/** The samples sent in `[fromMs, toMs)`. */
export function within(samples: readonly Sample[], fromMs: number, toMs: number = Infinity): Sample[] {
  return samples.filter((s) => s.at >= fromMs && s.at < toMs)
}

/**
 * The sampling interval a timeline shows: the median gap between consecutive samples, or null with fewer than
 * two. The median ignores the gaps left by skipped ticks and the bunching of a stalled event loop.
 */
export function inferIntervalMs(samples: readonly Sample[]): number | null {
  const sorted = byTime(samples)
  const gaps: number[] = []
  for (let i = 1; i < sorted.length; i++) gaps.push((sorted[i]?.at ?? 0) - (sorted[i - 1]?.at ?? 0))
  if (gaps.length === 0) return null
  gaps.sort((a, b) => a - b)
  return gaps[Math.floor(gaps.length / 2)] ?? null
}

/** The share of samples that succeeded, in percent (99.5, not 0.995); null for no samples. */
export function availabilityPercent(samples: readonly Sample[]): number | null {
  if (samples.length === 0) return null
  return (100 * samples.filter((s) => s.ok).length) / samples.length
}
