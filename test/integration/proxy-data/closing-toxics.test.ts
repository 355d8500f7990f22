import {afterEach, describe, expect, it} from 'vitest'
import {cleanup, TIMING_RETRIES, LATE_MS, connectClient, sleep, startEcho, startProxy, startSilent, toxic, until} from './helpers.js'

afterEach(cleanup)

describe('slow_close toxic', {retry: TIMING_RETRIES}, () => {
  it('delays the FIN in its direction, after the data', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('slow_close', {delay: 300}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const started = performance.now()
    upstream.sockets[0]!.end('bye')
    await client.waitFor(3)
    expect(performance.now() - started).toBeLessThan(LATE_MS)
    const closed = await client.closed
    expect(closed.how).toBe('end')
    expect(closed.at - started).toBeGreaterThanOrEqual(300)
    expect(closed.at - started).toBeLessThan(300 + LATE_MS)
    expect(client.received().toString()).toBe('bye')
  })
})

describe('timeout toxic', {retry: TIMING_RETRIES}, () => {
  it('closes with a FIN timeout ms after the link started, with no data sent', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('timeout', {timeout: 250}))
    const started = performance.now()
    const client = await connectClient(port)
    const closed = await client.closed
    expect(closed.how).toBe('end')
    expect(closed.at - started).toBeGreaterThanOrEqual(245)
    expect(closed.at - started).toBeLessThan(250 + LATE_MS)
  })

  it('black-holes data and never closes with timeout 0; removing it closes the connection', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('timeout', {timeout: 0}, {direction: 'upstream'}))
    const client = await connectClient(port)
    client.socket.write('into the void')
    let ended = false
    void client.closed.then(() => (ended = true))
    await sleep(250)
    expect(client.received().length).toBe(0)
    expect(ended).toBe(false)
    expect(echo.sockets[0]?.bytesRead ?? 0).toBe(0)
    const removed = performance.now()
    await proxy.removeToxic('timeout_upstream')
    const closed = await client.closed
    expect(closed.how).toBe('end')
    expect(closed.at - removed).toBeLessThan(LATE_MS)
  })

  it('counts from when it is added to an open connection', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    const client = await connectClient(port)
    client.socket.write('before')
    await client.waitFor(6)
    await sleep(100)
    const added = performance.now()
    proxy.addToxic(toxic('timeout', {timeout: 150}))
    client.socket.write('dropped')
    const closed = await client.closed
    expect(closed.how).toBe('end')
    expect(closed.at - added).toBeGreaterThanOrEqual(145)
    expect(closed.at - added).toBeLessThan(150 + LATE_MS)
    expect(client.received().toString()).toBe('before')
  })
})

describe('reset_peer toxic', {retry: TIMING_RETRIES}, () => {
  it('resets connections opened while it exists: ECONNRESET timeout ms after the first chunk', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('reset_peer', {timeout: 200}))
    const client = await connectClient(port)
    await sleep(100)
    let closedEarly = false
    void client.closed.then(() => (closedEarly = true))
    expect(closedEarly).toBe(false) // idle: nothing happens until data flows
    const sent = performance.now()
    client.socket.write('hello')
    const closed = await client.closed
    expect(closed.how).toBe('error')
    expect(closed.code).toBe('ECONNRESET')
    expect(closed.at - sent).toBeGreaterThanOrEqual(195)
    expect(closed.at - sent).toBeLessThan(200 + LATE_MS)
    expect(client.received().length).toBe(0)
  })

  it('closes connections that were already open with a plain FIN', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    const client = await connectClient(port)
    await sleep(50) // the proxy has dialled the upstream and started the links
    proxy.addToxic(toxic('reset_peer', {timeout: 100}))
    const sent = performance.now()
    client.socket.write('hello')
    const closed = await client.closed
    expect(closed.how).toBe('end')
    expect(closed.at - sent).toBeGreaterThanOrEqual(95)
    expect(closed.at - sent).toBeLessThan(100 + LATE_MS)
  })

  it('makes every close an RST for connections opened with it, even at toxicity 0', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('reset_peer', {timeout: 0}, {toxicity: 0}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    upstream.sockets[0]!.end()
    const closed = await client.closed
    expect(closed.how).toBe('error')
    expect(closed.code).toBe('ECONNRESET')
  })
})

describe('limit_data toxic', () => {
  it('forwards exactly `bytes`, truncating the chunk that crosses the limit, then ends', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('limit_data', {bytes: 10}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    upstream.sockets[0]!.write(Buffer.from('0123456789abcdefghij'.repeat(5)))
    const closed = await client.closed
    expect(closed.how).toBe('end')
    expect(client.received().toString()).toBe('0123456789')
  })

  it('counts per connection and direction, across updates', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('limit_data', {bytes: 6}))
    const first = await connectClient(port)
    const second = await connectClient(port)
    await until(() => upstream.sockets.length === 2)
    upstream.sockets[0]!.write('abcd')
    await first.waitFor(4)
    proxy.updateToxic(toxic('limit_data', {bytes: 8}))
    await sleep(10)
    upstream.sockets[0]!.write('efghijkl')
    upstream.sockets[1]!.write('ABCDEFGHIJ')
    expect((await first.closed).how).toBe('end')
    expect((await second.closed).how).toBe('end')
    expect(first.received().toString()).toBe('abcdefgh')
    expect(second.received().toString()).toBe('ABCDEFGH')
  })

  it('closes on the first chunk with bytes 0', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('limit_data', {bytes: 0}))
    const client = await connectClient(port)
    client.socket.write('x')
    expect((await client.closed).how).toBe('end')
    expect(client.received().length).toBe(0)
  })
})
