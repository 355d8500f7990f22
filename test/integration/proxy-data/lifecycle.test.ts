import {createServer} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {createProxyCore} from '../../../src/proxy/core/index.js'
import {isLoopbackListen, ProxyListenError, resolveListenAddress} from '../../../src/proxy/listen-address.js'
import type {ProxyCore} from '../../../src/proxy/types.js'
import {cleanup, TIMING_RETRIES, LATE_MS, connectClient, portOf, sleep, startEcho, startProxy, startSilent, toxic, tryConnect, until} from './helpers.js'

afterEach(cleanup)

const started: ProxyCore[] = []
afterEach(async () => {
  for (const proxy of started.splice(0)) await proxy.stop()
})

async function listenOn(listen: string): Promise<ProxyCore> {
  const proxy = createProxyCore({enabled: true, listen, name: 'l', upstream: '127.0.0.1:9'})
  started.push(proxy)
  await proxy.start()
  return proxy
}

async function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(0, '::1', () => server.close(() => resolve(true)))
  })
}

describe('stop and start', {retry: TIMING_RETRIES}, () => {
  it('stop() closes live connections at once and refuses new ones; start() rebinds the same port', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    const client = await connectClient(port)
    client.socket.write('hi')
    await client.waitFor(2)
    expect(proxy.stats().connections).toBe(1)
    const stopping = performance.now()
    await proxy.stop()
    const closed = await client.closed
    expect(closed.how).toBe('end')
    expect(closed.at - stopping).toBeLessThan(LATE_MS)
    expect(proxy.enabled).toBe(false)
    expect(await tryConnect(port)).toBe('ECONNREFUSED')
    await until(() => proxy.stats().connections === 0)
    await until(() => echo.sockets.every((socket) => socket.destroyed))

    await proxy.start()
    expect(proxy.enabled).toBe(true)
    expect(proxy.listen).toBe(`127.0.0.1:${port}`)
    const again = await connectClient(port)
    again.socket.write('back')
    await again.waitFor(4)
    expect(again.received().toString()).toBe('back')
  })

  it('closes the client when the upstream cannot be dialled (a connect, then EOF)', async () => {
    const silent = await startSilent()
    const deadPort = silent.port
    await new Promise<void>((resolve) => silent.server.close(() => resolve()))
    const {port} = await startProxy(deadPort)
    const client = await connectClient(port)
    expect((await client.closed).how).not.toBe('error')
  })

  it('ends the connection when either side sends FIN, after that direction drained', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('latency', {latency: 100, jitter: 0}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const sent = performance.now()
    upstream.sockets[0]!.end('last words')
    const closed = await client.closed
    expect(client.received().toString()).toBe('last words')
    expect(closed.how).toBe('end')
    expect(closed.at - sent).toBeGreaterThanOrEqual(100)
    expect(closed.at - sent).toBeLessThan(100 + LATE_MS)
  })

  it('does not keep a half-close: a client FIN closes the upstream fully', async () => {
    const upstream = await startSilent()
    const {port} = await startProxy(upstream.port)
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const server = upstream.sockets[0]!
    const serverEnded = new Promise<void>((resolve) => server.once('end', () => resolve()))
    server.resume()
    client.socket.end('request')
    await serverEnded
    server.end('reply-to:request')
    await client.closed
    expect(client.received().toString()).toBe('')
  })

  it('counts bytes per direction when connections close', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    const client = await connectClient(port)
    client.socket.write('12345')
    await client.waitFor(5)
    client.socket.end()
    await client.closed
    await until(() => proxy.stats().connections === 0)
    expect(proxy.stats()).toEqual({connections: 0, receivedBytes: {upstream: 5, downstream: 5}, sentBytes: {upstream: 5, downstream: 5}})
  })

  it('keeps its toxics across stop and start, and lists upstream toxics first', async () => {
    const {proxy} = await startProxy(9)
    proxy.addToxic(toxic('latency', {latency: 5}, {name: 'a'}))
    proxy.addToxic(toxic('limit_data', {bytes: 3}, {name: 'b', direction: 'upstream'}))
    await proxy.stop()
    await proxy.start()
    expect(proxy.toxics()).toEqual([
      {attributes: {bytes: 3}, name: 'b', type: 'limit_data', stream: 'upstream', toxicity: 1},
      {attributes: {latency: 5, jitter: 0}, name: 'a', type: 'latency', stream: 'downstream', toxicity: 1},
    ])
    expect(() => proxy.addToxic(toxic('noop', {}, {name: 'a'}))).toThrow('toxic already exists')
    expect(() => proxy.addToxic(toxic('down', {}, {name: 'c'}))).toThrow('invalid toxic type')
  })
})

describe('listen addresses (Go semantics)', () => {
  it('binds 127.0.0.1:0 and localhost:0 to 127.0.0.1 with an ephemeral port', async () => {
    expect((await listenOn('127.0.0.1:0')).listen).toMatch(/^127\.0\.0\.1:\d+$/)
    expect((await listenOn('localhost:0')).listen).toMatch(/^127\.0\.0\.1:\d+$/)
  })

  it('binds all interfaces for "", ":0" and "0.0.0.0:0", reported as [::]:<port>', async () => {
    for (const listen of ['', ':0', '0.0.0.0:0']) {
      const proxy = await listenOn(listen)
      expect(proxy.listen).toMatch(/^(\[::\]|0\.0\.0\.0):\d+$/)
      expect(await tryConnect(portOf(proxy.listen))).toBe('connected')
    }
  })

  it('binds [::1]:0 when IPv6 is available', async (context) => {
    if (!(await ipv6Available())) return context.skip()
    expect((await listenOn('[::1]:0')).listen).toMatch(/^\[::1\]:\d+$/)
  })

  it('echoes an explicit port, and keeps the listen as sent until started', async () => {
    const first = await listenOn('127.0.0.1:0')
    const port = portOf(first.listen)
    await first.stop()
    const proxy = createProxyCore({enabled: false, listen: `localhost:${port}`, name: 'p', upstream: '127.0.0.1:9'})
    started.push(proxy)
    expect(proxy.listen).toBe(`localhost:${port}`)
    await proxy.start()
    expect(proxy.listen).toBe(`127.0.0.1:${port}`)
  })

  it("fails with Go's texts", async () => {
    const taken = await listenOn('127.0.0.1:0')
    const error = await listenOn(taken.listen).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProxyListenError)
    expect((error as Error).message).toBe(`listen tcp ${taken.listen}: bind: address already in use`)
    await expect(listenOn('localhost')).rejects.toThrow(/^listen tcp: address localhost: missing port in address$/)
    await expect(listenOn('local373')).rejects.toThrow(/^listen tcp: address local373: missing port in address$/)
    await expect(listenOn('127.0.0.1:70000')).rejects.toThrow(/^listen tcp: address 70000: invalid port$/)
  })

  it("resolves addresses as Toxiproxy's Differs() compares them", async () => {
    expect(await resolveListenAddress('localhost:7070')).toBe('127.0.0.1:7070')
    expect(await resolveListenAddress('127.0.0.1:0')).toBe('127.0.0.1:0')
    expect(await resolveListenAddress(':0')).toBe(':0')
    expect(await resolveListenAddress('')).toBe(':0')
    expect(await resolveListenAddress('0.0.0.0:80')).toBe('0.0.0.0:80')
    expect(await resolveListenAddress('[0:0::1]:80')).toBe('[::1]:80')
    expect(await resolveListenAddress('127.0.0.1:http')).toBe('127.0.0.1:80')
    await expect(resolveListenAddress('bad')).rejects.toThrow(/^address bad: missing port in address$/)
  })

  it('tells loopback listens from the rest', () => {
    for (const listen of ['127.0.0.1:0', 'localhost:8474', '[::1]:0', '127.1.2.3:80', 'bad']) expect(isLoopbackListen(listen)).toBe(true)
    for (const listen of ['', ':0', '0.0.0.0:0', '[::]:0', '10.0.0.1:80', 'example.com:80']) expect(isLoopbackListen(listen)).toBe(false)
  })

  it('refuses to change addresses while started', async () => {
    const proxy = await listenOn('127.0.0.1:0')
    expect(() => proxy.setAddresses('127.0.0.1:0', '127.0.0.1:10')).toThrow()
    await proxy.stop()
    proxy.setAddresses('127.0.0.1:0', '127.0.0.1:10')
    expect(proxy.upstream).toBe('127.0.0.1:10')
    await sleep(0)
  })
})
