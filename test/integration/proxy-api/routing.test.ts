/**
 * What gorilla/mux and net/http do around Toxiproxy's handlers (spec §1.1, §1.3): 404 and 405 bodies and
 * headers, path cleaning, one-segment names, request ids and the browser block on matched routes only,
 * Go's JSON escaping and key order, status codes and content types of every endpoint.
 */
import {describe, expect, it} from 'vitest'

import {api, apiErrorBody, dial, raw, startEcho, startServer} from './helpers.js'

const REQUEST_ID = /^[0-9a-v]{20}$/

describe('routing', () => {
  it('answers unknown paths 404 `404 page not found` without a request id', async () => {
    const server = await startServer()
    for (const path of ['/nope', '/', '/proxies/', '/proxies/a/', '/proxies/a/toxics/', '/proxies/a/toxics/t/x', '/Proxies', '/metrics', '/populate/x']) {
      const response = await raw(server.url, path, {method: 'POST'})
      expect({path, status: response.status, body: response.body}).toEqual({path, status: 404, body: '404 page not found\n'})
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['x-toxiproxy-request-id']).toBeUndefined()
    }
  })

  it('answers a known path with another method 405 with an empty body', async () => {
    const server = await startServer()
    const cases: Array<[string, string]> = [
      ['PUT', '/proxies'],
      ['DELETE', '/proxies'],
      ['GET', '/reset'],
      ['GET', '/populate'],
      ['PUT', '/proxies/a'],
      ['DELETE', '/proxies/a/toxics'],
      ['PUT', '/proxies/a/toxics/t'],
      ['POST', '/version'],
      ['HEAD', '/version'],
      ['OPTIONS', '/proxies'],
      ['PATCH', '/leases'],
    ]
    for (const [method, path] of cases) {
      const response = await raw(server.url, path, {method, headers: {'User-Agent': 'Mozilla/5.0'}})
      expect({method, path, status: response.status, body: response.body}).toEqual({method, path, status: 405, body: ''})
      expect(response.headers['content-type']).toBeUndefined()
      expect(response.headers['x-toxiproxy-request-id']).toBeUndefined()
    }
  })

  it('redirects paths that cleaning changes, keeping the query', async () => {
    const server = await startServer()
    const cases: Array<[string, string]> = [
      ['//proxies', '/proxies'],
      ['/proxies/./a', '/proxies/a'],
      ['/proxies/x/../a/', '/proxies/a/'],
      ['//version?x=1', '/version?x=1'],
    ]
    for (const [path, location] of cases) {
      const response = await raw(server.url, path)
      expect({path, status: response.status, location: response.headers.location, body: response.body}).toEqual({path, status: 301, location, body: ''})
    }
  })

  it('ignores query strings and matches one percent-decoded segment per name', async () => {
    const server = await startServer()
    const http = api(server)
    for (const name of ['with space', 'héllo', 'a/b', 'x?y']) {
      expect((await http.post('/proxies', JSON.stringify({name, upstream: 'u', enabled: false}))).status).toBe(201)
    }
    expect((await http.get('/proxies?verbose=1')).status).toBe(200)
    expect(JSON.parse((await http.get('/proxies/with%20space?x=y')).body)).toMatchObject({name: 'with space'})
    expect(JSON.parse((await http.get('/proxies/h%C3%A9llo')).body)).toMatchObject({name: 'héllo'})
    expect(JSON.parse((await http.get('/proxies/x%3Fy')).body)).toMatchObject({name: 'x?y'})
    // A name with a slash can be created but never addressed, as in Toxiproxy.
    expect((await http.get('/proxies/a%2Fb')).body).toBe('404 page not found\n')
    expect((await http.delete('/proxies/a%2Fb')).status).toBe(404)
    expect((await http.get('/proxies/bad%zz')).status).toBe(400)
  })

  it('puts a request id on every matched route, and blocks browsers there only', async () => {
    const server = await startServer()
    const ok = await raw(server.url, '/version')
    expect(ok.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID)
    const notFound = await raw(server.url, '/proxies/missing')
    expect(notFound.body).toBe(apiErrorBody(404, 'proxy not found'))
    expect(notFound.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID)
    expect(notFound.headers['x-toxiproxy-request-id']).not.toBe(ok.headers['x-toxiproxy-request-id'])

    const browser = {headers: {'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'}}
    const blocked = await raw(server.url, '/proxies', browser)
    expect(blocked.status).toBe(403)
    expect(blocked.body).toBe('User agent not allowed\n')
    expect(blocked.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(blocked.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID)
    const blockedPost = await raw(server.url, '/proxies', {...browser, method: 'POST', body: '{"name":"a","upstream":"u","enabled":false}'})
    expect(blockedPost.status).toBe(403)
    expect((await api(server).get('/proxies')).body).toBe('{}')
    expect((await raw(server.url, '/nope', browser)).status).toBe(404)
    for (const agent of ['node', 'axios/1.7.2', 'curl/8.0', 'mozilla/5.0']) {
      expect((await raw(server.url, '/version', {headers: {'User-Agent': agent}})).status).toBe(200)
    }
  })
})

describe('responses', () => {
  it('uses Toxiproxy status codes, bodies and content types for every endpoint', async () => {
    const server = await startServer({version: '2.12.0'})
    const http = api(server)

    const version = await http.get('/version')
    expect([version.status, version.headers['content-type'], version.body]).toEqual([200, 'application/json;charset=utf-8', '{"version": "2.12.0"}\n'])
    expect(version.headers['content-length']).toBe('22')

    const empty = await http.get('/proxies')
    expect([empty.status, empty.headers['content-type'], empty.body]).toEqual([200, 'application/json', '{}'])

    const created = await http.post('/proxies', '{"name":"a","listen":"127.0.0.1:0","upstream":"127.0.0.1:9"}')
    expect([created.status, created.headers['content-type']]).toEqual([201, 'application/json'])
    const listen = (JSON.parse(created.body) as {listen: string}).listen
    expect(created.body).toBe(`{"name":"a","listen":"${listen}","upstream":"127.0.0.1:9","enabled":true,"Logger":{},"toxics":[]}`)
    expect((await http.get('/proxies/a')).body).toBe(created.body)

    const toxic = await http.post('/proxies/a/toxics', '{"type":"latency","attributes":{"latency":100,"jitter":10}}')
    expect([toxic.status, toxic.headers['content-type'], toxic.body]).toEqual([
      200,
      'application/json',
      '{"attributes":{"latency":100,"jitter":10},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}',
    ])
    expect((await http.get('/proxies/a/toxics')).body).toBe(`[${toxic.body}]`)
    expect((await http.get('/proxies/a/toxics/latency_downstream')).body).toBe(toxic.body)
    expect((await http.patch('/proxies/a/toxics/latency_downstream', '{}')).status).toBe(200)
    expect((await http.get('/proxies/a')).body).toBe(`{"name":"a","listen":"${listen}","upstream":"127.0.0.1:9","enabled":true,"Logger":{},"toxics":[${toxic.body}]}`)

    const updated = await http.patch('/proxies/a', '{"name":"renamed","enabled":false}')
    expect([updated.status, updated.headers['content-type']]).toEqual([200, 'application/json'])
    expect(JSON.parse(updated.body)).toMatchObject({name: 'a', enabled: false, listen})

    for (const [path, method] of [
      ['/proxies/a/toxics/latency_downstream', 'DELETE'],
      ['/reset', 'POST'],
      ['/proxies/a', 'DELETE'],
    ] as const) {
      const response = await raw(server.url, path, {method})
      expect([path, response.status, response.body, response.headers['content-type']]).toEqual([path, 204, '', undefined])
    }
    expect((await http.get('/proxies/a')).body).toBe(apiErrorBody(404, 'proxy not found'))
  })

  it('escapes HTML-sensitive characters and sorts map keys by their bytes, as Go does', async () => {
    const server = await startServer()
    const http = api(server)
    for (const name of ['b', '<b>&</b>', 'a', 'B', 'é', '\u2028', 'tab\there']) {
      expect((await http.post('/proxies', JSON.stringify({name, upstream: 'up"\\stream', enabled: false}))).status).toBe(201)
    }
    const body = (await http.get('/proxies')).body
    expect(body).not.toMatch(/[<>&\u2028\t]/)
    expect(body).toContain('"\\u003cb\\u003e\\u0026\\u003c/b\\u003e":{"name":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e"')
    expect(body).toContain('"tab\\there"')
    expect(body).toContain('"\\u2028"')
    expect(body).toContain('"upstream":"up\\"\\\\stream"')
    expect(Object.keys(JSON.parse(body) as object)).toEqual(['<b>&</b>', 'B', 'a', 'b', 'tab\there', 'é', '\u2028'])
  })

  it('sends small bodies with Content-Length and large ones chunked, as net/http does', async () => {
    const server = await startServer()
    const http = api(server)
    const small = await http.get('/proxies')
    expect(small.headers['content-length']).toBe('2')
    for (let i = 0; i < 30; i++) await http.post('/proxies', JSON.stringify({name: `proxy-${i}`, upstream: '127.0.0.1:9', enabled: false}))
    const large = await http.get('/proxies')
    expect(large.body.length).toBeGreaterThan(2048)
    expect(large.headers['content-length']).toBeUndefined()
    expect(large.headers['transfer-encoding']).toBe('chunked')
  })

  it('answers 503 with an empty body when a handler takes longer than the timeout', async () => {
    const server = await startServer({handlerTimeoutMs: 100})
    const http = api(server)
    await http.post('/proxies', '{"name":"slow","upstream":"127.0.0.1:9","listen":"127.0.0.1:0"}')
    // reset_peer's wait cannot be interrupted, so removing it mid-wait blocks (as in Go).
    const echo = await startEcho()
    await http.post('/proxies/slow', JSON.stringify({upstream: echo.address}))
    const listen = (JSON.parse((await http.get('/proxies/slow')).body) as {listen: string}).listen
    await http.post('/proxies/slow/toxics', '{"type":"reset_peer","attributes":{"timeout":600}}')
    const socket = await dial(listen)
    socket.on('error', () => undefined)
    socket.write('x')
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = Date.now()
    const response = await http.delete('/proxies/slow/toxics/reset_peer_downstream')
    expect([response.status, response.body]).toEqual([503, ''])
    expect(Date.now() - started).toBeLessThan(500)
    // The removal itself goes on and completes once reset_peer's wait is over.
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect((await http.get('/proxies/slow/toxics')).body).toBe('[]')
  })
})
