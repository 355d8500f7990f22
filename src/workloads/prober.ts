/**
 * The availability prober: an HTTP GET to one target at a fixed interval (down to 10 ms) for the whole run,
 * recording success and latency as a timeline that failover time and the per-window figures are computed from.
 *
 * Schedule: tick k fires at `start + k·interval` on the monotonic clock, so timer lateness never accumulates
 * into drift. A tick that is missed entirely (a stalled event loop) is skipped, not fired late in a burst:
 * bunched probes would all see the same instant and overstate the resolution.
 *
 * Each probe has its own deadline (`AbortSignal.timeout`) and probes overlap freely: a request that hangs
 * (a blackholed region) does not hold up the next tick, so the timeline keeps its resolution through the very
 * faults it is there to measure. A probe succeeds on a 2xx or 3xx status (redirects are not followed), after
 * the body has been read to the end; `latencyMs` runs from sending the request to the end of the response.
 *
 * Connections: a keep-alive agent, so that a sample measures the request the user makes and not a fresh TCP
 * (and TLS) handshake each time — at 10 ms a new connection per probe would also leave thousands of sockets in
 * TIME_WAIT. The agent has no socket limit, so an overlapping probe opens another connection rather than
 * queueing behind a hung one; a timed-out probe destroys its socket, and the next opens a new one. Two
 * consequences to know: a pooled connection keeps the address it was opened to (a DNS failover is seen when
 * connections are replaced, as with most real keep-alive clients), and a request that fails with a reset on a
 * reused idle socket (the server closed it while idle: a race of keep-alive, not an outage) is retried once on
 * a fresh connection within the same deadline, as the Node.js documentation recommends; a real reset fails the
 * retry too, and the sample records both attempts' time.
 */
import http from 'node:http'
import https from 'node:https'

import {byTime, runClock, type RunClock, type Sample} from './timeline.js'

export interface ProberOptions {
  /** The http(s) URL to GET. */
  target: string
  /** Time between probes, at least 10 ms. */
  intervalMs: number
  /** Each probe's deadline; a probe without a complete response by then is a failure. */
  timeoutMs: number
  /** Aborting stops the schedule and abandons probes in flight (they are not recorded: the run ended, not the target). */
  signal?: AbortSignal
  /** The run's clock, so `at` shares its zero with fault starts; by default zero is when the prober starts. */
  clock?: RunClock
}

export interface Prober {
  /** Stops the schedule, waits for probes in flight (each bounded by its deadline), closes connections, returns the timeline. */
  stop(): Promise<Sample[]>
  /**
   * For live views and guardrails: the samples completed since `cursor` (0, or a cursor this returned), in completion order
   * (not sorted), and the cursor for the next call. Copies only the new samples.
   */
  samplesSince(cursor: number): {cursor: number; samples: Sample[]}
  /** The sampling interval: the resolution of every time measured from this timeline. */
  readonly intervalMs: number
  readonly clock: RunClock
}

export const MIN_INTERVAL_MS = 10

export function startProber(options: ProberOptions): Prober {
  const {intervalMs, timeoutMs} = options
  if (!Number.isFinite(intervalMs) || intervalMs < MIN_INTERVAL_MS) throw new RangeError(`the probe interval must be at least ${MIN_INTERVAL_MS}ms, not ${intervalMs}`)
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`the probe timeout must be a positive number of ms, not ${timeoutMs}`)
  const url = new URL(options.target)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`the prober needs an http(s) URL, not ${options.target}`)

  const agentOptions = {keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' as const}
  const agent = url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions)
  const clock = options.clock ?? runClock()
  // Requests in flight, so that a halt can end them directly rather than through `AbortSignal.any`, which
  // would tie each of tens of thousands of short-lived probe signals to one signal that lives for the run.
  const active = new Set<http.ClientRequest>()
  const inFlight = new Set<Promise<void>>()
  const done: Sample[] = []
  let halting = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const probe = async (): Promise<void> => {
    const at = clock.now()
    const started = performance.now()
    const deadline = AbortSignal.timeout(timeoutMs)
    const outcome = await get(url, agent, deadline, active).catch((error: unknown): Outcome => ({error: error instanceof Error ? error.message : String(error)}))
    const latencyMs = performance.now() - started
    if (halting) return
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 400) {
      done.push({at, latencyMs, ok: true})
      return
    }
    const error = outcome.status !== undefined ? `HTTP ${outcome.status}` : deadline.aborted ? `no response within ${timeoutMs}ms` : (outcome.error ?? 'request failed')
    done.push({at, error, latencyMs, ok: false})
  }

  const start = performance.now()
  let tick = 0
  const fire = (): void => {
    if (stopped) return
    const running = probe()
    inFlight.add(running)
    void running.finally(() => inFlight.delete(running))
    // The next tick on the fixed grid that is still ahead: late timers do not drift the grid, and ticks missed
    // altogether are skipped rather than fired in a burst.
    tick = Math.max(tick + 1, Math.floor((performance.now() - start) / intervalMs) + 1)
    timer = setTimeout(fire, Math.max(0, start + tick * intervalMs - performance.now()))
  }

  const halted = (): void => {
    stopped = true
    halting = true
    clearTimeout(timer)
    for (const request of active) request.destroy(new Error('the prober was halted'))
  }
  if (options.signal?.aborted) stopped = true
  else {
    options.signal?.addEventListener('abort', halted, {once: true})
    fire()
  }

  return {
    clock,
    intervalMs,
    samplesSince: (cursor) => ({cursor: done.length, samples: done.slice(cursor)}),
    async stop() {
      stopped = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', halted)
      await Promise.allSettled([...inFlight])
      agent.destroy()
      return byTime(done)
    },
  }
}

interface Outcome {
  error?: string
  status?: number
}

/** One GET, retried once when a reused keep-alive socket turns out to have been closed while idle. */
async function get(url: URL, agent: http.Agent, deadline: AbortSignal, active: Set<http.ClientRequest>): Promise<Outcome> {
  const first = await getOnce(url, agent, deadline, active)
  if (!first.staleSocket || deadline.aborted) return first
  return getOnce(url, agent, deadline, active)
}

function getOnce(url: URL, agent: http.Agent, deadline: AbortSignal, active: Set<http.ClientRequest>): Promise<Outcome & {staleSocket?: boolean}> {
  return new Promise((resolve) => {
    let settled = false
    const settle = (outcome: Outcome & {staleSocket?: boolean}): void => {
      if (settled) return
      settled = true
      active.delete(request)
      resolve(outcome)
    }
    const client = url.protocol === 'https:' ? https : http
    const request = client.get(url, {agent, headers: {'user-agent': 'rift-prober'}, signal: deadline}, (response) => {
      const status = response.statusCode
      response.on('end', () => settle(status === undefined ? {error: 'no status'} : {status}))
      response.on('error', (error) => settle({error: describe(error)}))
      response.on('close', () => settle(response.complete && status !== undefined ? {status} : {error: 'the response was cut off'}))
      response.resume()
    })
    request.on('error', (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
      settle({error: describe(error), ...(stale ? {staleSocket: true} : {})})
    })
    active.add(request)
  })
}

function describe(error: NodeJS.ErrnoException): string {
  return error.code ?? error.message
}
