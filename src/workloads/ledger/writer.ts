/**
 * The ledger writer: uniquely keyed writes (`<runId>-<seq>`) at a constant arrival rate, each recorded with
 * its timing and outcome. The schedule is drift-free (write k is due at start + k × interval, whatever the
 * previous writes took) and concurrency is bounded: a tick that finds every slot busy is dropped and counted,
 * not queued, so a slow store cannot build up an unbounded backlog (as k6's constant-arrival-rate executor
 * does with `dropped_iterations`). Sequence numbers go to issued writes only, so keys are contiguous.
 *
 * rift's ledger writes each key once; the checker also accepts rewritten keys (see checker.ts).
 */
import {RiftError} from '../../errors.js'
import type {LedgerAdapter} from './adapter.js'
import {encodePayload} from './payload.js'

export type WriteOutcome = 'acked' | 'failed' | 'timeout'

export interface WriteAttempt {
  key: string
  value: string
  seq: number
  /** Epoch milliseconds (sub-millisecond precision) when the request was sent. */
  startedAtMs: number
  /** Epoch milliseconds when the acknowledgement, the error or the timeout came. */
  endedAtMs: number
  outcome: WriteOutcome
  error?: string
}

export interface LedgerWriterOptions {
  adapter: LedgerAdapter
  /** The key prefix: keys are `<runId>-<seq>`. */
  runId: string
  /** Writes per second, or a rate as experiment files write it: `50/s`, `600/m`. */
  rate: number | string
  /** Most writes in flight at once (default 64). */
  concurrency?: number
  /** A write not acknowledged within this is recorded as `timeout` and aborted (default 2000). */
  timeoutMs?: number
  /** Stop scheduling after this many writes (tests; default unbounded). */
  maxWrites?: number
  /** Stops scheduling when aborted, as stop() does. */
  signal?: AbortSignal
  /** The clock, epoch milliseconds; injectable for tests. */
  now?: () => number
}

export interface LedgerWriter {
  readonly intervalMs: number
  /** Writes issued so far. */
  readonly issued: number
  /** Ticks skipped because every concurrency slot was busy. */
  readonly dropped: number
  /**
   * For live views: the attempts settled since `cursor` (0, or a cursor this returned), in settling order,
   * and the cursor for the next call. Copies only the new attempts.
   */
  attemptsSince(cursor: number): {cursor: number; attempts: WriteAttempt[]}
  /** Stops scheduling, waits for the writes in flight to settle (each is bounded by timeoutMs), returns every attempt in seq order. */
  stop(): Promise<WriteAttempt[]>
}

/** `50/s` → 50, `600/m` → 10, `25` → 25 (per second). */
export function parseRate(rate: number | string): number {
  const perSecond = typeof rate === 'number' ? rate : rateFromText(rate)
  if (!(Number.isFinite(perSecond) && perSecond > 0)) {
    throw new RiftError('RIFT_USAGE', `ledger rate must be a positive rate like 50/s or 600/m, got ${JSON.stringify(rate)}`, {suggestions: ['rate: 50/s']})
  }
  return perSecond
}

function rateFromText(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|m)\s*$/.exec(text)
  if (match === null) return Number.NaN
  return Number(match[1]) / (match[2] === 'm' ? 60 : 1)
}

/** Rejects when `signal` aborts even if `work` ignores it, so one stuck adapter call cannot hold stop() up. */
export function settleWithin<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {}) // a late rejection after the abort is expected, not unhandled
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, {once: true})
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error instanceof Error ? error : new Error(String(error)))
      },
    )
  })
}

const epochNow = (): number => performance.timeOrigin + performance.now()

export function startLedgerWriter(options: LedgerWriterOptions): LedgerWriter {
  const perSecond = parseRate(options.rate)
  const intervalMs = 1000 / perSecond
  const concurrency = options.concurrency ?? 64
  const timeoutMs = options.timeoutMs ?? 2000
  const maxWrites = options.maxWrites ?? Number.POSITIVE_INFINITY
  const now = options.now ?? epochNow
  if (!(Number.isInteger(concurrency) && concurrency > 0)) throw new RiftError('RIFT_USAGE', `ledger concurrency must be a positive integer, got ${concurrency}`)
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RiftError('RIFT_USAGE', `ledger timeoutMs must be a positive number, got ${timeoutMs}`)

  const attempts: WriteAttempt[] = []
  const inFlight = new Set<Promise<void>>()
  const startMs = now()
  let tick = 0
  let issued = 0
  let dropped = 0
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const issue = (): void => {
    const seq = issued++
    const key = `${options.runId}-${seq}`
    const value = encodePayload(key, seq)
    const startedAtMs = now()
    const timeout = AbortSignal.timeout(timeoutMs)
    const write = (async () => {
      let outcome: WriteOutcome = 'acked'
      let error: string | undefined
      try {
        await settleWithin(options.adapter.write(key, value, timeout), timeout)
      } catch (caught) {
        outcome = timeout.aborted ? 'timeout' : 'failed'
        error = timeout.aborted ? `not acknowledged within ${timeoutMs} ms` : caught instanceof Error ? caught.message : String(caught)
      }
      const attempt: WriteAttempt = {endedAtMs: now(), key, outcome, seq, startedAtMs, value}
      if (error !== undefined) attempt.error = error
      attempts.push(attempt)
    })()
    inFlight.add(write)
    void write.finally(() => inFlight.delete(write))
  }

  const run = (): void => {
    timer = undefined
    if (stopped) return
    const elapsed = now() - startMs
    // Every tick that is due by now, including any a stalled event loop made late.
    while (tick * intervalMs <= elapsed && issued < maxWrites) {
      tick++
      if (inFlight.size >= concurrency) dropped++
      else issue()
    }
    if (issued >= maxWrites) return
    timer = setTimeout(run, Math.max(0, tick * intervalMs - (now() - startMs)))
  }

  const halt = (): void => {
    stopped = true
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  options.signal?.addEventListener('abort', halt, {once: true})
  if (options.signal?.aborted === true) halt()
  else run()

  return {
    intervalMs,
    get issued() {
      return issued
    },
    get dropped() {
      return dropped
    },
    attemptsSince: (cursor) => ({attempts: attempts.slice(cursor), cursor: attempts.length}),
    async stop() {
      halt()
      options.signal?.removeEventListener('abort', halt)
      while (inFlight.size > 0) await Promise.all([...inFlight])
      return [...attempts].sort((a, b) => a.seq - b.seq)
    },
  }
}
