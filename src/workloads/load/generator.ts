/**
 * The built-in load generator: HTTP requests at a constant arrival rate with bounded concurrency, the
 * `constant-arrival-rate` executor of k6 in miniature, so a run measures latency and errors under load when
 * no k6 binary is at hand.
 *
 * Schedule: request k is due at `start + k / rate` on the monotonic clock. A timer wakes every millisecond
 * and sends everything due; arrivals do not wait for responses (an open model, so a slow target does not slow
 * the offered load and hide its own latency). When `maxInFlight` requests are already outstanding a due
 * request is not sent but counted as dropped, as k6 counts `dropped_iterations`: queueing it would measure the
 * queue, not the target.
 *
 * Latency runs from handing the request to Node to the end of the response body; `at` is the send time on the
 * run clock, so samples share their zero with fault starts. A request succeeds on 2xx/3xx within the timeout.
 * Requests past their deadline are destroyed by one sweep every 25 ms rather than a timer each, which at
 * 10,000 requests/s would cost more than the requests.
 */
import http from 'node:http'
import https from 'node:https'

import {runClock, type RunClock} from '../timeline.js'
import {SampleStore} from './sample-store.js'

export interface LoadOptions {
  target: string
  /** Requests per second. */
  ratePerSecond: number
  /** Outstanding requests at most; due requests beyond it are dropped. */
  maxInFlight: number
  timeoutMs: number
  method?: string
  body?: string
  headers?: Record<string, string>
  clock?: RunClock
}

export interface LoadCounts {
  /** Due requests not sent because `maxInFlight` were outstanding. */
  dropped: number
  failed: number
  inFlight: number
  ok: number
  sent: number
}

export interface LoadRun extends LoadCounts {
  /** Completed requests per second over the time the generator ran. */
  achievedRate: number
  durationMs: number
  /** Failure reasons and how often each was seen (`HTTP 503`, `ECONNREFUSED`, `timeout`…), the first 20 kinds. */
  errors: Record<string, number>
  samples: SampleStore
}

export interface LoadGenerator {
  counts(): LoadCounts
  /** The completed samples (live; read-only for callers). */
  readonly samples: SampleStore
  readonly clock: RunClock
  /** Stops the schedule, waits for requests in flight (each bounded by the timeout) and closes connections. */
  stop(): Promise<LoadRun>
}

const TICK_MS = 1
const SWEEP_MS = 25
const MAX_ERROR_KINDS = 20

export function startLoadGenerator(options: LoadOptions): LoadGenerator {
  const {maxInFlight, ratePerSecond, timeoutMs} = options
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError(`the load rate must be a positive number of requests per second, not ${ratePerSecond}`)
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`maxInFlight must be a positive integer, not ${maxInFlight}`)
  if (!(timeoutMs > 0)) throw new RangeError(`the request timeout must be a positive number of ms, not ${timeoutMs}`)
  const url = new URL(options.target)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`the load generator needs an http(s) URL, not ${options.target}`)
  const transport = url.protocol === 'https:' ? https : http
  const agent = new transport.Agent({keepAlive: true, maxSockets: maxInFlight, scheduling: 'lifo'})
  const body = options.body === undefined ? undefined : Buffer.from(options.body)
  const requestOptions: http.RequestOptions = {
    agent,
    headers: {...options.headers, ...(body ? {'content-length': String(body.length)} : {})},
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    method: options.method ?? 'GET',
    path: `${url.pathname}${url.search}`,
    port: url.port,
  }

  const clock = options.clock ?? runClock()
  const samples = new SampleStore()
  const errors: Record<string, number> = {}
  const active = new Map<http.ClientRequest, number>()
  const counts = {dropped: 0, failed: 0, ok: 0, sent: 0}
  let due = 0
  let settleAll: (() => void) | undefined

  const fail = (reason: string): void => {
    counts.failed += 1
    if (reason in errors) errors[reason] = (errors[reason] as number) + 1
    else if (Object.keys(errors).length < MAX_ERROR_KINDS) errors[reason] = 1
  }

  const send = (): void => {
    const at = clock.now()
    const started = performance.now()
    let finished = false
    const finish = (ok: boolean, reason?: string): void => {
      if (finished) return
      finished = true
      active.delete(request)
      samples.push(at, performance.now() - started, ok)
      if (ok) counts.ok += 1
      else fail(reason ?? 'request failed')
      if (active.size === 0) settleAll?.()
    }
    const request = transport.request(requestOptions, (response) => {
      const status = response.statusCode ?? 0
      response.on('end', () => finish(status >= 200 && status < 400, `HTTP ${status}`))
      response.on('error', (error: NodeJS.ErrnoException) => finish(false, error.code ?? error.message))
      response.resume()
    })
    request.on('error', (error: NodeJS.ErrnoException) => finish(false, (error as {reason?: string}).reason ?? error.code ?? error.message))
    active.set(request, started)
    request.end(body)
  }

  const start = performance.now()
  let stopped = false
  const tick = (): void => {
    const target = Math.floor(((performance.now() - start) * ratePerSecond) / 1000)
    while (due < target) {
      due += 1
      if (active.size >= maxInFlight) counts.dropped += 1
      else {
        counts.sent += 1
        send()
      }
    }
  }
  const scheduler = setInterval(tick, TICK_MS)
  const sweeper = setInterval(() => {
    const deadline = performance.now() - timeoutMs
    for (const [request, started] of active) {
      if (started <= deadline) {
        const error = Object.assign(new Error(`no response within ${timeoutMs}ms`), {reason: 'timeout'})
        request.destroy(error)
      }
    }
  }, SWEEP_MS)

  return {
    clock,
    counts: () => ({...counts, inFlight: active.size}),
    samples,
    async stop() {
      if (!stopped) {
        stopped = true
        clearInterval(scheduler)
        if (active.size > 0) await new Promise<void>((resolve) => (settleAll = resolve))
        clearInterval(sweeper)
        agent.destroy()
      }
      const durationMs = performance.now() - start
      return {...counts, achievedRate: ((counts.ok + counts.failed) * 1000) / Math.max(1, durationMs), durationMs, errors, inFlight: 0, samples}
    },
  }
}
