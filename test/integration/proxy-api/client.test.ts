/**
 * The server driven only through the npm package toxiproxy-node-client 4.1.0, as the Toxiproxy driver and
 * users drive a real Toxiproxy: every endpoint the client can express, every toxic type, and the errors it
 * surfaces. Data checks go through real TCP echo upstreams on loopback.
 */
import {Toxiproxy, ToxiproxyError, type ICreateToxicBody, type Toxic} from 'toxiproxy-node-client'
import {describe, expect, it} from 'vitest'

import {connectOutcome, dial, exchange, roundTrip, startEcho, startServer, until} from './helpers.js'

type AnyToxicBody = ICreateToxicBody<Record<string, number>>

/** The client types every field as required; Toxiproxy (and these tests) send only some. */
const body = (fields: object): AnyToxicBody => fields as AnyToxicBody

/** Every toxic type with attributes to create it with, one to update, and what GET shows after each. */
const TOXICS: Array<{type: string; create: Record<string, number>; created: Record<string, number>; update: Record<string, number>; updated: Record<string, number>}> = [
  {type: 'latency', create: {latency: 100, jitter: 10}, created: {latency: 100, jitter: 10}, update: {latency: 300}, updated: {latency: 300, jitter: 10}},
  {type: 'bandwidth', create: {rate: 100}, created: {rate: 100}, update: {rate: 0}, updated: {rate: 0}},
  {type: 'slow_close', create: {delay: 500}, created: {delay: 500}, update: {delay: 50}, updated: {delay: 50}},
  {type: 'timeout', create: {timeout: 0}, created: {timeout: 0}, update: {timeout: 5000}, updated: {timeout: 5000}},
  {type: 'reset_peer', create: {timeout: 300}, created: {timeout: 300}, update: {timeout: 0}, updated: {timeout: 0}},
  {
    type: 'slicer',
    create: {average_size: 100},
    created: {average_size: 100, size_variation: 0, delay: 0},
    update: {size_variation: 10, delay: 20_000},
    updated: {average_size: 100, size_variation: 10, delay: 20_000},
  },
  {type: 'limit_data', create: {bytes: 10}, created: {bytes: 10}, update: {bytes: 1000}, updated: {bytes: 1000}},
  {type: 'noop', create: {}, created: {}, update: {}, updated: {}},
  {type: 'corrupt', create: {rate: 0.001}, created: {rate: 0.001}, update: {rate: 0.5}, updated: {rate: 0.5}},
]

describe('toxiproxy-node-client 4.1.0 against rift proxy', () => {
  it('reads the version as Toxiproxy writes it', async () => {
    const server = await startServer({version: '2.12.0'})
    expect(await server.client.getVersion()).toBe('{"version": "2.12.0"}\n')
    const fresh = await startServer()
    expect(await fresh.client.getVersion()).toMatch(/^\{"version": "2\.12\.0\+rift\.\d+\.\d+\.\d+"\}\n$/)
  })

  it('creates, gets, lists, updates and removes proxies, with real traffic through them', async () => {
    const {client} = await startServer()
    const echo = await startEcho()
    const proxy = await client.createProxy({name: 'db', listen: '127.0.0.1:0', upstream: echo.address})
    expect(proxy.toJson()).toMatchObject({name: 'db', upstream: echo.address, enabled: true})
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(proxy.listen).not.toBe('127.0.0.1:0')
    expect((await roundTrip(proxy.listen, 'hello')).data).toBe('hello')

    const got = await client.get('db')
    expect(got.toJson()).toEqual(proxy.toJson())
    await client.createProxy({name: 'cache', listen: 'localhost:0', upstream: '127.0.0.1:9'})
    const all = await client.getAll()
    expect(Object.keys(all)).toEqual(['cache', 'db'])
    expect(all.db!.listen).toBe(proxy.listen)
    expect(all.cache!.listen).toMatch(/^127\.0\.0\.1:\d+$/)

    // Disabling closes the listener; enabling rebinds the same address.
    const disabled = await proxy.update({enabled: false, listen: proxy.listen, upstream: proxy.upstream})
    expect(disabled.enabled).toBe(false)
    expect(proxy.enabled).toBe(true) // immutable: the original object is unchanged
    expect(await connectOutcome(proxy.listen)).toBe('refused')
    const enabled = await disabled.update({enabled: true, listen: disabled.listen, upstream: disabled.upstream})
    expect(enabled.listen).toBe(proxy.listen)
    expect((await roundTrip(enabled.listen, 'again')).data).toBe('again')

    await enabled.remove()
    await expect(client.get('db')).rejects.toThrow('Request failed with status code 404')
    expect(await connectOutcome(proxy.listen)).toBe('refused')
    expect(Object.keys(await client.getAll())).toEqual(['cache'])
  })

  it('populates proxies and resets them', async () => {
    const {client} = await startServer()
    const echo = await startEcho()
    const proxies = await client.populate([
      {name: 'one', listen: '127.0.0.1:0', upstream: echo.address},
      {name: 'two', listen: '127.0.0.1:0', upstream: echo.address, enabled: false},
    ])
    expect(Object.keys(proxies)).toEqual(['one', 'two'])
    expect(proxies.one!.enabled).toBe(true)
    expect(proxies.two!.toJson()).toMatchObject({enabled: false, listen: '127.0.0.1:0'})

    await proxies.one!.addToxic(body({type: 'latency', attributes: {latency: 500}}))
    await client.reset()
    const one = await client.get('one')
    await expect(one.getToxic('latency_downstream')).rejects.toThrow('Request failed with status code 404')
    const two = await client.get('two')
    expect(two.enabled).toBe(true)
    expect(two.listen).toMatch(/^127\.0\.0\.1:\d+$/)
    expect((await roundTrip(one.listen, 'fast')).ms).toBeLessThan(400)
    expect((await roundTrip(two.listen, 'up')).data).toBe('up')
  })

  for (const spec of TOXICS) {
    it(`adds, gets, updates and removes a ${spec.type} toxic`, async () => {
      const {client} = await startServer()
      const echo = await startEcho()
      const proxy = await client.createProxy({name: 'p', listen: '127.0.0.1:0', upstream: echo.address})
      const toxic = await proxy.addToxic(body({type: spec.type, attributes: spec.create}))
      expect(toxic.toJson()).toEqual({name: `${spec.type}_downstream`, type: spec.type, stream: 'downstream', toxicity: 1, attributes: spec.created})

      const named = await proxy.addToxic(body({name: 'mine', type: spec.type, stream: 'upstream', toxicity: 0.5, attributes: spec.create}))
      expect(named.toJson()).toEqual({name: 'mine', type: spec.type, stream: 'upstream', toxicity: 0.5, attributes: spec.created})

      const got: Toxic<Record<string, number>> = await proxy.getToxic('mine')
      expect(got.toJson()).toEqual(named.toJson())

      const updated = await got.update(body({attributes: spec.update, toxicity: 0.25}))
      expect(updated.toJson()).toEqual({name: 'mine', type: spec.type, stream: 'upstream', toxicity: 0.25, attributes: spec.updated})
      expect((await proxy.getToxic('mine')).toJson()).toEqual(updated.toJson())

      await updated.remove()
      await expect(proxy.getToxic('mine')).rejects.toThrow('Request failed with status code 404')
      await toxic.remove()
      await expect(proxy.getToxic(`${spec.type}_downstream`)).rejects.toThrow('Request failed with status code 404')
      await expect(toxic.remove()).rejects.toThrow('Request failed with status code 404')
    })
  }

  it('surfaces API errors as "Request failed with status code N"', async () => {
    const {client} = await startServer()
    const proxy = await client.createProxy({name: 'p', listen: '127.0.0.1:0', upstream: '127.0.0.1:9'})
    const failures: Array<[() => Promise<unknown>, number]> = [
      [() => client.createProxy({name: 'p', listen: '127.0.0.1:0', upstream: '127.0.0.1:9'}), 409],
      [() => client.createProxy({name: '', listen: '127.0.0.1:0', upstream: '127.0.0.1:9'}), 400],
      [() => client.get('missing'), 404],
      [() => proxy.addToxic(body({type: 'down', attributes: {}})), 400],
      [() => proxy.addToxic(body({type: 'latency', stream: 'sideways', attributes: {latency: 1}})), 400],
      [() => proxy.getToxic('missing'), 404],
      [() => new Toxiproxy(client.host).get('missing/extra'), 404],
    ]
    for (const [call, status] of failures) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(ToxiproxyError)
      expect((error as Error).message).toBe(`Request failed with status code ${status}`)
    }
    await proxy.addToxic(body({type: 'latency', attributes: {latency: 1}}))
    await expect(proxy.addToxic(body({type: 'latency', stream: 'upstream', name: 'latency_downstream', attributes: {}}))).rejects.toThrow(
      'Request failed with status code 409',
    )
    await expect(proxy.update({enabled: true, listen: 'bad', upstream: '127.0.0.1:9'})).rejects.toThrow('Request failed with status code 500')
  })

  it('applies toxics to live connections: latency added, changed and removed while connected', async () => {
    const {client} = await startServer()
    const echo = await startEcho()
    const proxy = await client.createProxy({name: 'p', listen: '127.0.0.1:0', upstream: echo.address})
    const socket = await dial(proxy.listen)
    expect((await exchange(socket, 'a')).ms).toBeLessThan(90)
    const latency = await proxy.addToxic<{latency: number; jitter: number}>({type: 'latency', attributes: {latency: 100, jitter: 0}} as never)
    const slow = await exchange(socket, 'b')
    expect(slow.ms).toBeGreaterThanOrEqual(95)
    const slower = await latency.update({attributes: {latency: 200}} as never)
    expect(slower.attributes.latency).toBe(200)
    expect((await exchange(socket, 'c')).ms).toBeGreaterThanOrEqual(195)
    await slower.remove()
    expect((await exchange(socket, 'd')).ms).toBeLessThan(90)
  })

  it('blackholes with a timeout toxic and closes the connection when it is removed, as Toxiproxy does', async () => {
    const {client} = await startServer()
    const echo = await startEcho()
    const proxy = await client.createProxy({name: 'p', listen: '127.0.0.1:0', upstream: echo.address})
    const socket = await dial(proxy.listen)
    const timeout = await proxy.addToxic(body({type: 'timeout', attributes: {timeout: 0}}))
    await expect(exchange(socket, 'lost', 200)).rejects.toThrow(/no echo/)
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    await timeout.remove()
    await ended
    await until(() => echo.open.size === 0, 'the upstream connection to close')
  })
})
