import {afterEach, describe, expect, it} from 'vitest'
import {cleanup, TIMING_RETRIES, LATE_MS, connectClient, connectMany, sleep, startEcho, startProxy, toxic} from './helpers.js'

afterEach(cleanup)

describe('latency toxic', {retry: TIMING_RETRIES}, () => {
  it('delays a round trip by the latency of one direction', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('latency', {latency: 100, jitter: 0}))
    const client = await connectClient(port)
    const rtts: number[] = []
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      client.socket.write('ping')
      rtts.push((await client.waitFor(4 * (i + 1))) - started)
    }
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(100)
      expect(rtt).toBeLessThan(100 + LATE_MS)
    }
  })

  it('adds up across directions', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('latency', {latency: 60, jitter: 0}, {direction: 'upstream'}))
    proxy.addToxic(toxic('latency', {latency: 40, jitter: 0}, {direction: 'downstream'}))
    const client = await connectClient(port)
    const started = performance.now()
    client.socket.write('x')
    const rtt = (await client.waitFor(1)) - started
    expect(rtt).toBeGreaterThanOrEqual(100)
    expect(rtt).toBeLessThan(100 + LATE_MS)
  })

  it('measures from when each chunk was received, so pipelined writes are not delayed cumulatively', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('latency', {latency: 150, jitter: 0}, {direction: 'upstream'}))
    const client = await connectClient(port)
    const sentAt: number[] = []
    for (let i = 0; i < 5; i++) {
      sentAt.push(performance.now())
      client.socket.write(Buffer.from([i]))
      if (i < 4) await sleep(30)
    }
    await client.waitFor(5)
    expect([...client.received()]).toEqual([0, 1, 2, 3, 4])
    expect(client.reads).toHaveLength(5)
    client.reads.forEach((read, i) => {
      const delay = read.at - sentAt[i]!
      expect(delay).toBeGreaterThanOrEqual(150)
      expect(delay).toBeLessThan(150 + LATE_MS)
    })
  })

  it('keeps each delay within [latency − jitter, latency + jitter) and keeps order', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('latency', {latency: 60, jitter: 30}, {direction: 'upstream'}))
    const clients = await connectMany(port, 24, echo)
    const delays = await Promise.all(
      clients.map(async (client) => {
        const started = performance.now()
        client.socket.write('j')
        return (await client.waitFor(1)) - started
      }),
    )
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(30)
      expect(delay).toBeLessThan(90 + LATE_MS)
    }
    // 24 draws from [30, 90): they spread out rather than all landing on 60.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(20)

    // Order within one connection holds even when a later chunk draws a shorter delay.
    const client = clients[0]!
    const before = client.received().length
    for (let i = 0; i < 20; i++) client.socket.write(Buffer.from([i]))
    await client.waitFor(before + 20)
    expect([...client.received().subarray(before)]).toEqual(Array.from({length: 20}, (_, i) => i))
  })

  it('applies to open connections when added, updated and removed', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    const client = await connectClient(port)
    const roundTrip = async (): Promise<number> => {
      const expected = client.received().length + 1
      const started = performance.now()
      client.socket.write('r')
      return (await client.waitFor(expected)) - started
    }
    expect(await roundTrip()).toBeLessThan(LATE_MS)
    proxy.addToxic(toxic('latency', {latency: 80, jitter: 0}))
    const added = await roundTrip()
    expect(added).toBeGreaterThanOrEqual(80)
    expect(added).toBeLessThan(80 + LATE_MS)
    proxy.updateToxic(toxic('latency', {latency: 150, jitter: 0}))
    await sleep(5)
    const updated = await roundTrip()
    expect(updated).toBeGreaterThanOrEqual(150)
    expect(updated).toBeLessThan(150 + LATE_MS)
    await proxy.removeToxic('latency_downstream')
    expect(await roundTrip()).toBeLessThan(LATE_MS)
    expect(proxy.toxics()).toEqual([])
  })

  it('passes the chunk in flight on at once when the toxic is removed', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('latency', {latency: 1000, jitter: 0}))
    const client = await connectClient(port)
    const started = performance.now()
    client.socket.write('abc')
    await sleep(50)
    await proxy.removeToxic('latency_downstream')
    const arrived = await client.waitFor(3)
    expect(arrived - started).toBeLessThan(200)
    expect(client.received().toString()).toBe('abc')
  })
})
