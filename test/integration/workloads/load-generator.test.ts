/**
 * The built-in load generator against real loopback servers: the offered rate is kept, concurrency is
 * bounded (requests over the limit are dropped and counted, not queued), slow answers time out at the
 * deadline, refused connections are failures with their reason, and nothing is left open after stop().
 */
import http from 'node:http'
import net, {type AddressInfo} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterEach, describe, expect, it} from 'vitest'

import {startLoadGenerator} from '../../../src/workloads/load/index.js'

const servers: http.Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

async function serve(handler: http.RequestListener): Promise<{hits: () => number; url: string}> {
  let hits = 0
  const server = http.createServer((request, response) => {
    hits += 1
    handler(request, response)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {hits: () => hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/path?q=1`}
}

describe('the built-in load generator', () => {
  it('offers the configured rate and records every request it sends', async () => {
    const target = await serve((_request, response) => response.end('ok'))
    const generator = startLoadGenerator({maxInFlight: 50, ratePerSecond: 500, target: target.url, timeoutMs: 2000})
    await sleep(1000)
    const run = await generator.stop()
    // 500/s for ~1 s on a loaded machine: within 20% of 500, and every request accounted for.
    expect(run.sent + run.dropped).toBeGreaterThan(400)
    expect(run.sent + run.dropped).toBeLessThan(600)
    expect(run.ok + run.failed).toBe(run.sent)
    expect(run.samples.size).toBe(run.sent)
    expect(target.hits()).toBe(run.sent)
    expect(run.errors).toEqual({})
    // 50 in flight is ample for 500/s; a stalled event loop on a busy machine may still drop a few.
    expect(run.dropped).toBeLessThan(run.sent * 0.05)
  })

  it('sends the method, headers and body it is given', async () => {
    const seen: {body: string; header: string | undefined; method: string | undefined; url: string | undefined}[] = []
    const target = await serve((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString()))
      request.on('end', () => {
        seen.push({body, header: request.headers['x-rift'] as string | undefined, method: request.method, url: request.url})
        response.end()
      })
    })
    const generator = startLoadGenerator({body: '{"a":1}', headers: {'x-rift': 'yes'}, maxInFlight: 5, method: 'POST', ratePerSecond: 50, target: target.url, timeoutMs: 2000})
    await sleep(200)
    await generator.stop()
    expect(seen.length).toBeGreaterThan(3)
    expect(seen[0]).toEqual({body: '{"a":1}', header: 'yes', method: 'POST', url: '/path?q=1'})
  })

  it('never has more than maxInFlight requests outstanding, drops the excess, and times out slow answers', async () => {
    let open = 0
    let maxOpen = 0
    const target = await serve((_request, response) => {
      open += 1
      maxOpen = Math.max(maxOpen, open)
      response.on('close', () => (open -= 1))
      // Never answers: every request ends at the generator's deadline.
    })
    const generator = startLoadGenerator({maxInFlight: 4, ratePerSecond: 200, target: target.url, timeoutMs: 150})
    await sleep(600)
    const run = await generator.stop()
    expect(maxOpen).toBeLessThanOrEqual(4)
    expect(run.dropped).toBeGreaterThan(20)
    expect(run.ok).toBe(0)
    expect(run.failed).toBe(run.sent)
    expect(run.errors.timeout).toBe(run.failed)
    let longest = 0
    run.samples.forEachIn(-Infinity, Infinity, (latencyMs) => (longest = Math.max(longest, latencyMs)))
    // The sweep runs every 25 ms: a timed-out request ends between 150 ms and ~175 ms plus scheduling noise.
    expect(longest).toBeGreaterThanOrEqual(149)
    expect(longest).toBeLessThan(1000)
  })

  it('counts refused connections and HTTP errors as failures with their reason', async () => {
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const refused = startLoadGenerator({maxInFlight: 10, ratePerSecond: 100, target: `http://127.0.0.1:${port}/`, timeoutMs: 1000})
    await sleep(200)
    const a = await refused.stop()
    expect(a.failed).toBeGreaterThan(5)
    expect(a.errors.ECONNREFUSED).toBe(a.failed)

    const target = await serve((_request, response) => {
      response.statusCode = 503
      response.end()
    })
    const unavailable = startLoadGenerator({maxInFlight: 10, ratePerSecond: 100, target: target.url, timeoutMs: 1000})
    await sleep(200)
    const b = await unavailable.stop()
    expect(b.errors['HTTP 503']).toBe(b.failed)
    expect(b.failed).toBeGreaterThan(5)
  })

  it('refuses nonsense options before sending anything', () => {
    expect(() => startLoadGenerator({maxInFlight: 1, ratePerSecond: 0, target: 'http://127.0.0.1:1/', timeoutMs: 10})).toThrow(/rate/)
    expect(() => startLoadGenerator({maxInFlight: 0, ratePerSecond: 1, target: 'http://127.0.0.1:1/', timeoutMs: 10})).toThrow(/maxInFlight/)
    expect(() => startLoadGenerator({maxInFlight: 1, ratePerSecond: 1, target: 'ftp://127.0.0.1:1/', timeoutMs: 10})).toThrow(/http/)
  })
})
