import {afterEach, describe, expect, it} from 'vitest'
import {cleanup, TIMING_RETRIES, LATE_MS, connectClient, sleep, startEcho, startProxy, startSilent, toxic, until} from './helpers.js'

afterEach(cleanup)

describe('bandwidth toxic', {retry: TIMING_RETRIES}, () => {
  it('limits a direction to rate KB/s with KB = 1000 bytes', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('bandwidth', {rate: 100}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const started = performance.now()
    upstream.sockets[0]!.write(Buffer.alloc(80_000, 1))
    const elapsed = (await client.waitFor(80_000)) - started
    // 80 000 bytes at 100 000 B/s: 800 ms (Toxiproxy: 200 000 bytes in 2008 ms).
    expect(elapsed).toBeGreaterThan(780)
    expect(elapsed).toBeLessThan(800 + LATE_MS)
    // Sent in 100 ms slices of 10 000 bytes, not in one burst.
    expect(client.reads.length).toBeGreaterThanOrEqual(7)
  })

  it('paces small chunks by their size, carrying the timer error forward', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('bandwidth', {rate: 50}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const started = performance.now()
    for (let i = 0; i < 50; i++) upstream.sockets[0]!.write(Buffer.alloc(500, i))
    const elapsed = (await client.waitFor(25_000)) - started
    expect(elapsed).toBeGreaterThan(470)
    expect(elapsed).toBeLessThan(500 + LATE_MS)
  })

  it('stalls at rate 0 until the toxic is removed, then releases every byte', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('bandwidth', {rate: 0}))
    const client = await connectClient(port)
    const data = Buffer.from(Array.from({length: 1000}, (_, i) => i % 251))
    client.socket.write(data)
    await sleep(300)
    expect(client.received().length).toBe(0)
    const removing = performance.now()
    await proxy.removeToxic('bandwidth_downstream')
    expect(performance.now() - removing).toBeLessThan(LATE_MS)
    await client.waitFor(1000)
    expect(client.received().equals(data)).toBe(true)
  })

  it('treats a negative rate as a stall instead of crashing', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('bandwidth', {rate: -5}))
    const client = await connectClient(port)
    client.socket.write('still here')
    await sleep(200)
    expect(client.received().length).toBe(0)
    await proxy.removeToxic('bandwidth_downstream')
    await client.waitFor(10)
    expect(client.received().toString()).toBe('still here')
  })
})
