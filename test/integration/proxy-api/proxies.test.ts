/**
 * Listen addresses and proxy updates as Toxiproxy 2.12 handles them (spec §1.4, §1.5), checked on real
 * sockets: what is bound and reported, Differs() with the resolved listen, stop → set → restart, and the
 * partial failure that leaves a proxy stopped with its new address. Plus rift's loopback-only default.
 */
import {networkInterfaces} from 'node:os'
import {describe, expect, it} from 'vitest'

import {api, apiErrorBody, busyPort, closed, connectOutcome, dial, exchange, freePort, roundTrip, startEcho, startServer} from './helpers.js'

const hasIPv6Loopback = Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === '::1'))

async function create(server: {url: string}, body: Record<string, unknown>) {
  const response = await api(server).post('/proxies', JSON.stringify(body))
  return {status: response.status, body: response.body, proxy: response.status === 201 ? (JSON.parse(response.body) as {listen: string; enabled: boolean}) : undefined}
}

describe('listen addresses', () => {
  it('binds and reports the address as Go does', async () => {
    const server = await startServer()
    const echo = await startEcho()
    const port = await freePort()
    const cases: Array<[string, RegExp]> = [
      ['127.0.0.1:0', /^127\.0\.0\.1:\d+$/],
      ['localhost:0', /^127\.0\.0\.1:\d+$/],
      [`localhost:${port}`, new RegExp(`^127\\.0\\.0\\.1:${port}$`)],
      ...(hasIPv6Loopback ? ([['[::1]:0', /^\[::1\]:\d+$/]] as Array<[string, RegExp]>) : []),
    ]
    for (const [i, [listen, reported]] of cases.entries()) {
      const {proxy} = await create(server, {name: `p${i}`, listen, upstream: echo.address})
      expect(proxy?.listen).toMatch(reported)
      expect((await roundTrip(proxy!.listen, listen)).data).toBe(listen)
    }
  })

  it('binds all interfaces for "", ":0" and "0.0.0.0:0" (reported [::]:port) when non-loopback listens are allowed', async () => {
    const server = await startServer({allowNonLoopback: true})
    const echo = await startEcho()
    for (const [i, listen] of ['', ':0', '0.0.0.0:0'].entries()) {
      const {proxy} = await create(server, {name: `w${i}`, listen, upstream: echo.address})
      expect(proxy?.listen).toMatch(/^\[::\]:\d+$/)
      const port = proxy!.listen.slice(proxy!.listen.lastIndexOf(':') + 1)
      expect((await roundTrip(`127.0.0.1:${port}`, 'wild')).data).toBe('wild')
      await api(server).delete(`/proxies/w${i}`)
    }
  })

  it('refuses non-loopback listens by default with a listen error, binding nothing', async () => {
    const server = await startServer()
    for (const listen of ['', ':0', '0.0.0.0:0', '[::]:0']) {
      const response = await create(server, {name: 'wild', listen, upstream: '127.0.0.1:9'})
      expect(response.status).toBe(500)
      expect(JSON.parse(response.body.trim())).toEqual({
        error: `listen tcp ${listen}: refusing a non-loopback listen address (rift proxy binds loopback only; start it with --allow-non-loopback to allow this)`,
        status: 500,
      })
    }
    // A disabled proxy stores any listen; enabling it is refused the same way.
    expect((await create(server, {name: 'later', listen: '0.0.0.0:0', upstream: '127.0.0.1:9', enabled: false})).status).toBe(201)
    expect((await api(server).post('/proxies/later', '{"enabled":true}')).status).toBe(500)
    expect((await api(server).get('/proxies')).body).toContain('"enabled":false')
  })

  it('answers bad listens and busy ports with Go\'s errors (500), adding nothing', async () => {
    const server = await startServer()
    const busy = await busyPort()
    const cases: Array<[string, string]> = [
      ['localhost', 'listen tcp: address localhost: missing port in address'],
      ['local373', 'listen tcp: address local373: missing port in address'],
      [`127.0.0.1:${busy}`, `listen tcp 127.0.0.1:${busy}: bind: address already in use`],
    ]
    for (const [listen, error] of cases) {
      const response = await create(server, {name: 'x', listen, upstream: '127.0.0.1:9'})
      expect(response.body).toBe(apiErrorBody(500, error))
    }
    expect((await api(server).get('/proxies')).body).toBe('{}')
  })

  it('stores the listen of a disabled proxy verbatim, even an invalid one, until it starts', async () => {
    const server = await startServer()
    const http = api(server)
    const bad = await create(server, {name: 'bad', listen: 'bad', upstream: '127.0.0.1:9', enabled: false})
    expect(bad.proxy).toMatchObject({listen: 'bad', enabled: false})
    expect((await http.post('/proxies/bad', '{"enabled":true}')).body).toBe(apiErrorBody(500, 'address bad: missing port in address'))
    const later = await create(server, {name: 'later', listen: 'localhost:0', upstream: '127.0.0.1:9', enabled: false})
    expect(later.proxy?.listen).toBe('localhost:0')
    const started = await http.post('/proxies/later', '{"enabled":true}')
    expect(JSON.parse(started.body)).toMatchObject({enabled: true, listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown})
  })
})

describe('proxy update', () => {
  async function proxyWithConnection() {
    const server = await startServer()
    const echo = await startEcho()
    const {proxy} = await create(server, {name: 'p', listen: '127.0.0.1:0', upstream: echo.address})
    const socket = await dial(proxy!.listen)
    await exchange(socket, 'hi')
    return {echo, http: api(server), listen: proxy!.listen, server, socket}
  }

  it('keeps the proxy and its connections when nothing differs: the listen GET returned, or localhost for 127.0.0.1', async () => {
    const {http, listen, socket} = await proxyWithConnection()
    const port = listen.split(':')[1]
    for (const body of [`{"listen":"${listen}"}`, `{"listen":"localhost:${port}"}`, '{}', '{"name":"other","enabled":true}']) {
      const response = await http.patch('/proxies/p', body)
      expect(JSON.parse(response.body)).toMatchObject({name: 'p', listen, enabled: true})
    }
    expect((await exchange(socket, 'still')).data).toBe('still')
  })

  it('restarts when the listen or upstream differs (port 0 always does), closing connections and keeping toxics', async () => {
    const {http, listen, socket} = await proxyWithConnection()
    await http.post('/proxies/p/toxics', '{"type":"noop"}')
    const ended = closed(socket)
    const moved = JSON.parse((await http.patch('/proxies/p', '{"listen":"127.0.0.1:0"}')).body) as {listen: string; toxics: unknown[]}
    expect(await ended).not.toBe('timeout')
    expect(moved.listen).not.toBe(listen)
    expect(moved.toxics).toHaveLength(1)
    expect(await connectOutcome(listen)).toBe('refused')
    expect((await roundTrip(moved.listen, 'moved')).data).toBe('moved')

    const other = await startEcho()
    const socket2 = await dial(moved.listen)
    const ended2 = closed(socket2)
    const rerouted = JSON.parse((await http.post('/proxies/p', JSON.stringify({upstream: other.address}))).body) as {listen: string; upstream: string}
    expect(await ended2).not.toBe('timeout')
    expect(rerouted).toMatchObject({listen: moved.listen, upstream: other.address})
    expect((await roundTrip(rerouted.listen, 'other')).data).toBe('other')
  })

  it('accepts an empty upstream without validation; connections then fail to dial', async () => {
    const {http, listen} = await proxyWithConnection()
    const response = await http.patch('/proxies/p', '{"upstream":""}')
    expect(JSON.parse(response.body)).toMatchObject({upstream: '', enabled: true})
    const socket = await dial(listen)
    expect(await closed(socket)).toBe('end')
  })

  it('disables (closing connections, refusing new ones) and re-enables on the same address', async () => {
    const {http, listen, socket} = await proxyWithConnection()
    const ended = closed(socket)
    expect(JSON.parse((await http.patch('/proxies/p', '{"enabled":false}')).body)).toMatchObject({enabled: false, listen})
    expect(await ended).toBe('end')
    expect(await connectOutcome(listen)).toBe('refused')
    expect(JSON.parse((await http.patch('/proxies/p', '{"enabled":true}')).body)).toMatchObject({enabled: true, listen})
    expect((await roundTrip(listen, 'back')).data).toBe('back')
  })

  it('leaves the proxy stopped with the new listen when the restart fails, as Go does', async () => {
    const {http, listen} = await proxyWithConnection()
    const busy = await busyPort()
    const response = await http.patch('/proxies/p', `{"listen":"127.0.0.1:${busy}"}`)
    expect(response.body).toBe(apiErrorBody(500, `listen tcp 127.0.0.1:${busy}: bind: address already in use`))
    expect(JSON.parse((await http.get('/proxies/p')).body)).toMatchObject({enabled: false, listen: `127.0.0.1:${busy}`})
    expect(await connectOutcome(listen)).toBe('refused')
  })

  it('changes nothing when the new listen cannot be resolved', async () => {
    const {http, listen, socket} = await proxyWithConnection()
    expect((await http.patch('/proxies/p', '{"listen":"bad"}')).body).toBe(apiErrorBody(500, 'address bad: missing port in address'))
    expect(JSON.parse((await http.get('/proxies/p')).body)).toMatchObject({enabled: true, listen})
    expect((await exchange(socket, 'fine')).data).toBe('fine')
  })

  it('deletes: stops the listener and closes every connection', async () => {
    const {echo, http, listen, socket} = await proxyWithConnection()
    const ended = closed(socket)
    expect((await http.delete('/proxies/p')).status).toBe(204)
    expect(await ended).toBe('end')
    expect(await connectOutcome(listen)).toBe('refused')
    expect((await http.delete('/proxies/p')).body).toBe(apiErrorBody(404, 'proxy not found'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(echo.open.size).toBe(0)
  })
})
