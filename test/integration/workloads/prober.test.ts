/**
 * The prober against a real loopback HTTP server whose failover the test itself controls: the server fails
 * every request that arrives between two instants the test chooses (with 503s, or by never answering), so the
 * true failover time is known, and the RTO measured from the prober's timeline must be within one probe
 * interval + 20 ms of it.
 */
import http from 'node:http'
import net, {type AddressInfo} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterEach, describe, expect, it} from 'vitest'

import {measureFailover} from '../../../src/measure/failover.js'
import {startProber} from '../../../src/workloads/prober.js'
import {runClock, type RunClock} from '../../../src/workloads/timeline.js'

type Mode = '503' | 'hang'

interface Target {
  url: string
  /** From `fromMs` (inclusive) to `toMs` (exclusive) on `clock`, requests fail in `mode`. */
  failBetween(fromMs: number, toMs: number, mode: Mode): void
  /** Requests the server has seen (so a test can tell that probes overlapped). */
  hits(): number
  close(): Promise<void>
}

const servers: Target[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function target(clock: RunClock, handler?: http.RequestListener): Promise<Target> {
  let window: {fromMs: number; mode: Mode; toMs: number} | undefined
  let hits = 0
  const server = http.createServer(
    handler ??
      ((_request, response) => {
        hits++
        const now = clock.now()
        if (window !== undefined && now >= window.fromMs && now < window.toMs) {
          if (window.mode === '503') response.writeHead(503).end('region down')
          return // 'hang': never answer; the prober's deadline ends it
        }
        response.writeHead(200, {'content-type': 'text/plain'}).end('ok')
      }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  const t: Target = {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    failBetween: (fromMs, toMs, mode) => {
      window = {fromMs, mode, toMs}
    },
    hits: () => hits,
    url: `http://127.0.0.1:${port}/health`,
  }
  servers.push(t)
  return t
}

async function warmUp(url: string): Promise<void> {
  await new Promise<void>((resolve, reject) => http.get(url, (response) => response.resume().on('end', resolve)).on('error', reject))
}

async function until(clock: RunClock, atMs: number): Promise<void> {
  await sleep(Math.max(0, atMs - clock.now()))
}

describe('availability prober: failover time accuracy', () => {
  // The fault starts 200 ms into the run; clients fail from 300 ms to 1100 ms after it: the true RTO is 1100 ms.
  const BASELINE_MS = 200
  const FAIL_FROM_MS = 300
  const FAIL_TO_MS = 1100
  const TAIL_MS = 300

  const INTERVALS = [10, 50] as const

  /** One failover with both intervals probing the same server; and how starved the event loop was near the edges. */
  async function failover(mode: Mode) {
    const clock = runClock()
    const server = await target(clock)
    const lags: {at: number; lateMs: number}[] = []
    let previous = clock.now()
    const monitor = setInterval(() => {
      const now = clock.now()
      lags.push({at: now, lateMs: now - previous - 5})
      previous = now
    }, 5)
    // One request first, so the baseline does not pay for loading the HTTP machinery on a busy machine.
    await warmUp(server.url)
    const probers = INTERVALS.map((intervalMs) => startProber({clock, intervalMs, target: server.url, timeoutMs: 250}))
    await until(clock, BASELINE_MS)
    const faultStartMs = clock.now()
    server.failBetween(faultStartMs + FAIL_FROM_MS, faultStartMs + FAIL_TO_MS, mode)
    await until(clock, faultStartMs + FAIL_TO_MS + TAIL_MS)
    const timelines = await Promise.all(probers.map((p) => p.stop()))
    clearInterval(monitor)
    // The worst event-loop delay around the two instants the assertions are about (the fault's edges).
    const near = (edge: number) => (l: {at: number}) => l.at >= faultStartMs + edge - 20 && l.at <= faultStartMs + edge + 90
    const starvedMs = Math.max(0, ...lags.filter((l) => near(FAIL_FROM_MS)(l) || near(FAIL_TO_MS)(l)).map((l) => l.lateMs))
    return {faultStartMs, starvedMs, timelines}
  }

  // Both intervals probe the same server through the same failover, so a run takes ~1.6 s per mode. The claim
  // is the prober's accuracy, not the machine's: a run during which the test process itself was starved of CPU
  // for over 15 ms near the fault's edges (measured by an independent timer; other test workers share the
  // machine) is void and repeated, at most twice; the last run is judged whatever its conditions.
  it.each(['503', 'hang'] as const)('measures the RTO within interval + 20 ms at 10 ms and 50 ms intervals (failures: %s)', async (mode) => {
    let run = await failover(mode)
    for (let attempt = 2; attempt <= 3 && run.starvedMs > 15; attempt++) {
      console.log(`${mode}: the event loop was delayed ${run.starvedMs.toFixed(1)}ms near a fault edge; run ${attempt} of at most 3`)
      run = await failover(mode)
    }
    const {faultStartMs, timelines} = run

    for (const [i, intervalMs] of INTERVALS.entries()) {
      const samples = timelines[i]!
      const result = measureFailover(samples, {faultStartMs, intervalMs})
      const tolerance = intervalMs + 20
      expect(result.inconclusive).toBeNull()
      expect(result.resolutionMs).toBe(intervalMs)
      expect(result.rtoMs).not.toBeNull()
      const rto = result.rtoMs!
      const firstFailure = result.firstFailureMs! - faultStartMs
      const lastFailure = result.lastFailureMs! - faultStartMs
      console.log(
        `interval ${intervalMs}ms, ${mode}: RTO ${rto.toFixed(1)}ms (truth ${FAIL_TO_MS}, error ${(rto - FAIL_TO_MS).toFixed(1)}ms), ` +
          `first failure +${firstFailure.toFixed(1)}ms (truth ${FAIL_FROM_MS}), last failure +${lastFailure.toFixed(1)}ms, ` +
          `${samples.length} samples, loop delay near edges ≤ ${run.starvedMs.toFixed(1)}ms`,
      )
      expect(Math.abs(rto - FAIL_TO_MS)).toBeLessThanOrEqual(tolerance)
      expect(Math.abs(firstFailure - FAIL_FROM_MS)).toBeLessThanOrEqual(tolerance)
      expect(lastFailure).toBeLessThan(FAIL_TO_MS)
      expect(lastFailure).toBeGreaterThanOrEqual(FAIL_TO_MS - tolerance)

      // Every failure is inside the failure window (sent ≈ arrived on loopback), with the right error.
      for (const s of samples.filter((x) => !x.ok)) {
        expect(s.at - faultStartMs, `a failure (${s.error}) before the failure window`).toBeGreaterThanOrEqual(FAIL_FROM_MS - 5)
        expect(s.at - faultStartMs).toBeLessThan(FAIL_TO_MS)
        expect(s.error).toBe(mode === '503' ? 'HTTP 503' : 'no response within 250ms')
      }
      // The schedule kept its resolution through the failures, hung requests included (with some slack for
      // ticks skipped when a loaded machine delays the event loop by more than an interval).
      const failing = samples.filter((s) => s.at >= faultStartMs + FAIL_FROM_MS && s.at < faultStartMs + FAIL_TO_MS)
      expect(failing.length).toBeGreaterThanOrEqual(Math.floor((0.8 * (FAIL_TO_MS - FAIL_FROM_MS)) / intervalMs))
    }
  })
})

describe('availability prober: schedule and requests', () => {
  it('keeps a fixed grid that does not drift, and reuses connections', async () => {
    const clock = runClock()
    const sockets = new Set<unknown>()
    const server = await target(clock, (request, response) => {
      sockets.add(request.socket)
      response.end('ok')
    })
    const prober = startProber({clock, intervalMs: 20, target: server.url, timeoutMs: 500})
    await until(clock, 605)
    const samples = await prober.stop()
    // Ticks at 0, 20, …, 600: 31 of them, each sent close to its slot (no accumulated lateness).
    expect(samples.length).toBeGreaterThanOrEqual(29)
    expect(samples.length).toBeLessThanOrEqual(31)
    const last = samples.at(-1)!
    expect(last.at).toBeGreaterThanOrEqual(580)
    // Distance of each send from its slot on the 20 ms grid: typically within a ms or two (timers are ms-grained).
    const offsets = samples.map((s) => Math.abs(s.at - Math.round(s.at / 20) * 20)).sort((a, b) => a - b)
    expect(offsets[Math.floor(offsets.length / 2)]).toBeLessThan(3)
    expect(samples.every((s) => s.ok)).toBe(true)
    // Keep-alive: sequential probes share a connection or two, not one per probe.
    expect(sockets.size).toBeLessThanOrEqual(3)
  })

  it('skips ticks missed by a stalled event loop instead of firing them in a burst', async () => {
    const clock = runClock()
    const server = await target(clock, (_request, response) => response.end('ok'))
    const prober = startProber({clock, intervalMs: 10, target: server.url, timeoutMs: 500})
    await until(clock, 100)
    const blockedAt = clock.now()
    while (clock.now() < blockedAt + 200) {
      // stall the event loop for 200 ms: ~20 ticks are missed
    }
    await until(clock, blockedAt + 300)
    const samples = await prober.stop()
    const after = samples.filter((s) => s.at >= blockedAt + 200 && s.at < blockedAt + 240).length
    // One late probe right after the stall, then the grid: not a burst of 20.
    expect(after).toBeLessThanOrEqual(6)
    // Without skipping, the 300 ms would hold ~30 samples; with it ~11, plus slack for a loaded machine.
    expect(samples.length).toBeLessThanOrEqual(25)
  })

  it('counts 2xx and 3xx as success and 4xx, 5xx and refused connections as failure', async () => {
    const clock = runClock()
    const statuses = [200, 204, 301, 304, 404, 500]
    let i = 0
    const server = await target(clock, (_request, response) => {
      response.writeHead(statuses[i++ % statuses.length]!, {location: '/elsewhere'}).end()
    })
    const prober = startProber({clock, intervalMs: 20, target: server.url, timeoutMs: 500})
    await until(clock, 250)
    const samples = await prober.stop()
    expect(samples.length).toBeGreaterThanOrEqual(6)
    // Probes 20 ms apart reach the server in the order they were sent: sample i got statuses[i mod 6].
    for (const [i, sample] of samples.entries()) {
      const status = statuses[i % statuses.length]!
      expect(sample.ok).toBe(status < 400)
      expect(sample.error).toBe(status < 400 ? undefined : `HTTP ${status}`)
    }

    await server.close()
    const refused = startProber({intervalMs: 10, target: server.url, timeoutMs: 500})
    await sleep(35)
    const failures = await refused.stop()
    expect(failures.length).toBeGreaterThanOrEqual(2)
    expect(failures.every((s) => !s.ok && s.error === 'ECONNREFUSED')).toBe(true)
  })

  it('retries once on a fresh connection when a reused idle connection turns out to be closed, but not a real reset', async () => {
    // A raw server that answers the first request on each connection and resets the connection on the second:
    // what a probe sees when the server dropped an idle keep-alive connection just as it was reused.
    const connections = new Set<net.Socket>()
    let resetEverything = false
    const server = net.createServer((socket) => {
      connections.add(socket)
      let requests = 0
      socket.on('data', (chunk) => {
        for (const _ of chunk.toString('latin1').split('\r\n\r\n').slice(1)) {
          requests++
          if (resetEverything || requests > 1) socket.resetAndDestroy()
          else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok')
        }
      })
      socket.on('error', () => {})
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    try {
      const prober = startProber({intervalMs: 30, target: url, timeoutMs: 500})
      await sleep(100)
      const samples = await prober.stop()
      expect(samples.length).toBeGreaterThanOrEqual(3)
      expect(samples.every((s) => s.ok)).toBe(true)
      expect(connections.size).toBe(samples.length) // probe k ≥ 2: the reused socket was reset, the retry opened a new one

      resetEverything = true
      const resets = startProber({intervalMs: 30, target: url, timeoutMs: 500})
      await sleep(70)
      const failed = await resets.stop()
      expect(failed.length).toBeGreaterThanOrEqual(2)
      expect(failed.every((s) => !s.ok && s.error === 'ECONNRESET')).toBe(true)
    } finally {
      for (const socket of connections) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('stops on the signal and abandons probes in flight without recording them', async () => {
    const clock = runClock()
    const server = await target(clock)
    server.failBetween(0, Infinity, 'hang')
    const abort = new AbortController()
    const prober = startProber({clock, intervalMs: 10, signal: abort.signal, target: server.url, timeoutMs: 10_000})
    await sleep(55)
    abort.abort()
    const stoppedAt = clock.now()
    const samples = await prober.stop()
    expect(clock.now() - stoppedAt).toBeLessThan(100)
    expect(samples).toEqual([])
    expect(server.hits()).toBeGreaterThanOrEqual(4)
  })

  it('refuses an interval under 10 ms, a bad timeout and a non-http target', () => {
    expect(() => startProber({intervalMs: 5, target: 'http://127.0.0.1:1/', timeoutMs: 100})).toThrow(/at least 10ms/)
    expect(() => startProber({intervalMs: 10, target: 'http://127.0.0.1:1/', timeoutMs: 0})).toThrow(/timeout/)
    expect(() => startProber({intervalMs: 10, target: 'tcp://127.0.0.1:1', timeoutMs: 100})).toThrow(/http\(s\) URL/)
  })
})
