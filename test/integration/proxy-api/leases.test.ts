/**
 * Leases, rift's dead-man switch (an extension): toxics created and proxies disabled under a lease are
 * reverted by the server itself when the lease is not renewed in time, or when it is released; what the
 * API undoes or replaces in the meantime is left alone.
 */
import {describe, expect, it} from 'vitest'

import type {ProxyLogLevel} from '../../../src/proxy/api/log.js'
import {api, apiErrorBody, connectOutcome, roundTrip, sleep, startEcho, startServer, until} from './helpers.js'

interface LeaseJson {
  expires_at: string
  held?: Array<Record<string, unknown>>
  id: string
  name: string
  ttl_ms: number
}

async function setup(options: {log?: (level: ProxyLogLevel, message: string) => void} = {}) {
  const server = await startServer(options.log === undefined ? {} : {log: options.log})
  const http = api(server)
  const echo = await startEcho()
  const proxy = async (name: string): Promise<string> =>
    (JSON.parse((await http.post('/proxies', JSON.stringify({name, listen: '127.0.0.1:0', upstream: echo.address}))).body) as {listen: string}).listen
  const lease = async (ttl: number, name?: string): Promise<LeaseJson> =>
    JSON.parse((await http.post('/leases', JSON.stringify({ttl_ms: ttl, ...(name === undefined ? {} : {name})}))).body) as LeaseJson
  const toxicNames = async (name: string): Promise<string[]> =>
    (JSON.parse((await http.get(`/proxies/${name}/toxics`)).body) as Array<{name: string}>).map((t) => t.name)
  const enabled = async (name: string): Promise<boolean> => (JSON.parse((await http.get(`/proxies/${name}`)).body) as {enabled: boolean}).enabled
  return {enabled, http, lease, proxy, server, toxicNames}
}

describe('leases', () => {
  it('are created, listed, renewed and released with the documented shapes and errors', async () => {
    const {http, lease} = await setup()
    const before = Date.now()
    const created = await http.post('/leases', '{"ttl_ms": 60000, "name": "run-1"}')
    expect(created.status).toBe(201)
    expect(created.headers['content-type']).toBe('application/json')
    const body = JSON.parse(created.body) as LeaseJson
    expect(Object.keys(body)).toEqual(['id', 'name', 'ttl_ms', 'expires_at'])
    expect(body).toMatchObject({name: 'run-1', ttl_ms: 60_000})
    expect(body.id).toMatch(/^[0-9a-f]{20}$/)
    expect(Date.parse(body.expires_at) - before).toBeGreaterThanOrEqual(59_900)
    expect((await lease(1000)).name).toBe('')

    const listed = JSON.parse((await http.get('/leases')).body) as LeaseJson[]
    expect(listed.map((l) => [l.name, l.held])).toEqual([
      ['run-1', []],
      ['', []],
    ])
    expect(JSON.parse((await http.get(`/leases/${body.id}`)).body)).toMatchObject({id: body.id, held: []})

    await sleep(5)
    const renewed = JSON.parse((await http.post(`/leases/${body.id}`)).body) as LeaseJson
    expect(renewed).toMatchObject({id: body.id, ttl_ms: 60_000})
    expect(Date.parse(renewed.expires_at)).toBeGreaterThan(Date.parse(body.expires_at))
    expect(JSON.parse((await http.post(`/leases/${body.id}`, '{"ttl_ms":5000}')).body)).toMatchObject({ttl_ms: 5000})

    expect((await http.delete(`/leases/${body.id}`)).status).toBe(204)
    for (const response of [await http.post(`/leases/${body.id}`), await http.delete(`/leases/${body.id}`), await http.get('/leases/nope')]) {
      expect(response.body).toBe(apiErrorBody(404, 'lease not found'))
    }
    expect((await http.post('/leases', '{}')).body).toBe(apiErrorBody(400, 'missing required field: ttl_ms'))
    expect((await http.post('/leases', '')).body).toBe(apiErrorBody(400, 'bad request body: EOF'))
    expect((await http.post('/leases', '{"ttl_ms":"1s"}')).body).toBe(
      apiErrorBody(400, 'bad request body: json: cannot unmarshal string into Go struct field LeaseRequest.ttl_ms of type int64'),
    )
    for (const ttl of ['0', '-5', '2147483648']) {
      expect((await http.post('/leases', `{"ttl_ms":${ttl}}`)).body).toBe(apiErrorBody(400, 'ttl_ms must be an integer between 1 and 2147483647'))
    }
    expect((await http.post('/leases/x/y')).status).toBe(404)
    expect((await http.patch('/leases/x')).status).toBe(405)
  })

  it('on expiry, remove the toxics and re-enable the proxies they hold, and log it', async () => {
    const logs: string[] = []
    const {enabled, http, lease, proxy, toxicNames} = await setup({log: (level, message) => logs.push(`${level} ${message}`)})
    const slowListen = await proxy('slow')
    const downListen = await proxy('down')
    // A long lease while the faults are set up and checked; then a short renewal that is left to run out.
    const {id} = await lease(60_000, 'runner')
    const toxic = await http.post('/proxies/slow/toxics', JSON.stringify({type: 'latency', attributes: {latency: 200}, lease: id}))
    expect(JSON.parse(toxic.body)).toEqual({attributes: {latency: 200, jitter: 0}, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1})
    await http.post('/proxies/slow/toxics', '{"type":"noop","name":"unleased"}')
    expect(JSON.parse((await http.patch('/proxies/down', JSON.stringify({enabled: false, lease: id}))).body)).toMatchObject({enabled: false})
    expect(JSON.parse((await http.get(`/leases/${id}`)).body)).toMatchObject({
      held: [
        {proxy: 'slow', toxic: 'latency_downstream'},
        {proxy: 'down', disabled: true},
      ],
    })
    expect((await roundTrip(slowListen, 'slow')).ms).toBeGreaterThanOrEqual(190)
    expect(await connectOutcome(downListen)).toBe('refused')
    expect((await http.post(`/leases/${id}`, '{"ttl_ms":50}')).status).toBe(200)

    await until(async () => (await toxicNames('slow')).length === 1 && (await enabled('down')), 'the lease to expire and be reverted', 3000)
    expect(await toxicNames('slow')).toEqual(['unleased'])
    expect((await roundTrip(slowListen, 'fast')).ms).toBeLessThan(150)
    expect((await roundTrip(downListen, 'up')).data).toBe('up')
    expect((await http.post(`/leases/${id}`)).body).toBe(apiErrorBody(404, 'lease not found'))
    expect(JSON.parse((await http.get('/leases')).body)).toEqual([])
    expect(logs).toContain(`warn lease ${id} (runner) expired: not renewed within 50 ms; reverting 2 held fault(s)`)
    expect(logs).toContain(`info lease ${id} (runner) expired: removed toxic latency_downstream from proxy slow`)
    expect(logs.some((line) => line.startsWith(`info lease ${id} (runner) expired: re-enabled proxy down on 127.0.0.1:`))).toBe(true)
  })

  it('keep their faults while renewed in time, and revert them when renewals stop', async () => {
    const {http, lease, proxy, toxicNames} = await setup()
    await proxy('p')
    const {id} = await lease(600)
    await http.post('/proxies/p/toxics', JSON.stringify({type: 'timeout', attributes: {timeout: 0}, lease: id}))
    for (let i = 0; i < 8; i++) {
      await sleep(100)
      expect((await http.post(`/leases/${id}`)).status).toBe(200)
    }
    expect(await toxicNames('p')).toEqual(['timeout_downstream'])
    await until(async () => (await toxicNames('p')).length === 0, 'the lease to expire', 3000)
  })

  it('revert everything at once when released', async () => {
    const {enabled, http, lease, proxy, toxicNames} = await setup()
    await proxy('p')
    const {id} = await lease(60_000)
    await http.post('/proxies/p/toxics', JSON.stringify({type: 'bandwidth', attributes: {rate: 0}, lease: id}))
    await http.post('/proxies/p/toxics', JSON.stringify({type: 'slicer', stream: 'upstream', lease: id, attributes: {average_size: 10}}))
    await http.post('/proxies/p', JSON.stringify({enabled: false, lease: id}))
    expect((await http.delete(`/leases/${id}`)).status).toBe(204)
    expect(await toxicNames('p')).toEqual([])
    expect(await enabled('p')).toBe(true)
  })

  it('leave alone what the API undid or replaced in the meantime', async () => {
    const {enabled, http, lease, proxy, toxicNames} = await setup()
    await proxy('p')
    await proxy('q')
    await proxy('r')
    const {id} = await lease(60_000)
    // A toxic removed through the API and created again without the lease.
    await http.post('/proxies/p/toxics', JSON.stringify({type: 'noop', name: 't', lease: id}))
    await http.delete('/proxies/p/toxics/t')
    await http.post('/proxies/p/toxics', JSON.stringify({type: 'noop', name: 't'}))
    // A proxy re-enabled through the API, then disabled again without the lease.
    await http.patch('/proxies/q', JSON.stringify({enabled: false, lease: id}))
    await http.patch('/proxies/q', '{"enabled":true}')
    await http.patch('/proxies/q', '{"enabled":false}')
    // A proxy deleted and created again under the same name, disabled.
    await http.patch('/proxies/r', JSON.stringify({enabled: false, lease: id}))
    await http.delete('/proxies/r')
    await http.post('/proxies', '{"name":"r","listen":"127.0.0.1:0","upstream":"127.0.0.1:9","enabled":false}')
    expect(JSON.parse((await http.get(`/leases/${id}`)).body)).toMatchObject({held: []})
    await http.post(`/leases/${id}`, '{"ttl_ms":50}')
    await until(async () => (await http.get(`/leases/${id}`)).status === 404, 'the lease to expire', 3000)
    await sleep(50)
    expect(await toxicNames('p')).toEqual(['t'])
    expect(await enabled('q')).toBe(false)
    expect(await enabled('r')).toBe(false)
  })

  it('refuse an unknown lease with 404 `lease not found`, changing nothing', async () => {
    const {enabled, http, proxy, server, toxicNames} = await setup()
    await proxy('p')
    expect((await http.post('/proxies/p/toxics', '{"type":"latency","lease":"nope"}')).body).toBe(apiErrorBody(404, 'lease not found'))
    expect((await http.patch('/proxies/p', '{"enabled":false,"lease":"nope"}')).body).toBe(apiErrorBody(404, 'lease not found'))
    expect(await toxicNames('p')).toEqual([])
    expect(await enabled('p')).toBe(true)
    // Validation errors keep their precedence over the lease.
    expect((await http.post('/proxies/p/toxics', '{"type":"bogus","lease":"nope"}')).body).toBe(apiErrorBody(400, 'invalid toxic type'))
    // Through toxiproxy-node-client, which sends the body as given: the extra field rides along.
    const leaseId = (JSON.parse((await http.post('/leases', '{"ttl_ms":60000}')).body) as LeaseJson).id
    const client = await server.client.get('p')
    const toxic = await client.addToxic({type: 'latency', attributes: {latency: 1, jitter: 0}, lease: leaseId} as never)
    expect(toxic.name).toBe('latency_downstream')
    expect((await http.delete(`/leases/${leaseId}`)).status).toBe(204)
    expect(await toxicNames('p')).toEqual([])
  })
})
