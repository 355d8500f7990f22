/**
 * POST /populate and POST /reset as Toxiproxy 2.12 does them (spec §1.6, §1.8): validation of every entry
 * first, unchanged proxies kept untouched (toxics, connections, even a disabled populate entry does not
 * disable them), changed ones replaced, a runtime error stopping the rest, and JSON error bodies.
 */
import {describe, expect, it} from 'vitest'

import {api, busyPort, closed, dial, exchange, roundTrip, sleep, startEcho, startServer, until} from './helpers.js'

interface ProxyJson {
  enabled: boolean
  listen: string
  name: string
  toxics: Array<{name: string}>
  upstream: string
}

describe('POST /populate', () => {
  it('answers `[]` with {"proxies":null} and bad bodies with JSON errors carrying proxies', async () => {
    const server = await startServer()
    const http = api(server)
    const empty = await http.post('/populate', '[]')
    expect([empty.status, empty.headers['content-type'], empty.body]).toEqual([201, 'application/json', '{"proxies":null}'])
    expect((await http.post('/populate', 'null')).body).toBe('{"proxies":null}')

    const cases: Array<[string, number, string]> = [
      ['', 400, 'bad request body: EOF'],
      ['[{"name":"a",', 400, 'bad request body: unexpected EOF'],
      ['{}', 400, 'bad request body: json: cannot unmarshal object into Go value of type []struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }'],
      ['[1]', 400, 'bad request body: json: cannot unmarshal number into Go value of type struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }'],
      ['[{"name":1}]', 400, 'bad request body: json: cannot unmarshal number into Go struct field .name of type string'],
      ['[{"name":"a","upstream":"u","enabled":"no"}]', 400, 'bad request body: json: cannot unmarshal string into Go struct field .enabled of type bool'],
      ['[{"name":"a","upstream":"u"},{"upstream":"u"}]', 400, 'missing required field: name at proxy 2'],
      ['[{"name":"a","upstream":"u"},{"name":"b"}]', 400, 'missing required field: upstream at proxy 2'],
      ['[null]', 400, 'missing required field: name at proxy 1'],
    ]
    for (const [body, status, error] of cases) {
      const response = await http.post('/populate', body)
      expect([body, response.status, response.headers['content-type'], response.body]).toEqual([
        body,
        status,
        'application/json',
        JSON.stringify({error, status, proxies: null}),
      ])
    }
    // Validation runs over every entry before anything is created.
    expect((await http.get('/proxies')).body).toBe('{}')
  })

  it('creates in order, ignores extra keys, and defaults enabled (also null) to true', async () => {
    const server = await startServer()
    const echo = await startEcho()
    const response = await api(server).post(
      '/populate',
      JSON.stringify([
        {name: 'z', listen: '127.0.0.1:0', upstream: echo.address, toxics: [{type: 'latency'}]},
        {name: 'a', listen: '127.0.0.1:0', upstream: echo.address, enabled: null},
        {NAME: 'off', listen: 'localhost:0', upstream: echo.address, Enabled: false},
      ]),
    )
    expect(response.status).toBe(201)
    const {proxies} = JSON.parse(response.body) as {proxies: ProxyJson[]}
    expect(proxies.map((p) => [p.name, p.enabled, p.toxics])).toEqual([
      ['z', true, []],
      ['a', true, []],
      ['off', false, []],
    ])
    expect(proxies[2]!.listen).toBe('localhost:0')
    expect((await roundTrip(proxies[0]!.listen, 'z')).data).toBe('z')
  })

  it('keeps an unchanged proxy untouched (toxics, connections, enabled state) and replaces a changed one', async () => {
    const server = await startServer()
    const http = api(server)
    const echo = await startEcho()
    const first = JSON.parse(
      (
        await http.post(
          '/populate',
          JSON.stringify([
            {name: 'same', listen: '127.0.0.1:0', upstream: echo.address},
            {name: 'moved', listen: '127.0.0.1:0', upstream: echo.address},
          ]),
        )
      ).body,
    ) as {proxies: ProxyJson[]}
    const [same, moved] = first.proxies as [ProxyJson, ProxyJson]
    await http.post('/proxies/same/toxics', '{"type":"noop"}')
    await http.post('/proxies/moved/toxics', '{"type":"noop"}')
    const kept = await dial(same.listen)
    const lost = await dial(moved.listen)
    const lostEnded = closed(lost)

    const port = same.listen.split(':')[1]
    const second = await http.post(
      '/populate',
      JSON.stringify([
        // Same resolved listen and upstream: kept, even though this entry says enabled:false.
        {name: 'same', listen: `localhost:${port}`, upstream: echo.address, enabled: false},
        // Port 0 never equals a bound port: replaced (its toxics are lost).
        {name: 'moved', listen: '127.0.0.1:0', upstream: echo.address},
      ]),
    )
    expect(second.status).toBe(201)
    const [keptJson, replacedJson] = (JSON.parse(second.body) as {proxies: ProxyJson[]}).proxies as [ProxyJson, ProxyJson]
    expect(keptJson).toMatchObject({name: 'same', listen: same.listen, enabled: true, toxics: [{name: 'noop_downstream'}]})
    expect(replacedJson).toMatchObject({name: 'moved', enabled: true, toxics: []})
    expect(replacedJson.listen).not.toBe(moved.listen)
    expect((await exchange(kept, 'kept')).data).toBe('kept')
    expect(await lostEnded).toBe('end')
  })

  it('processes duplicate names one after the other: the first then reads disabled', async () => {
    const server = await startServer()
    const response = await api(server).post(
      '/populate',
      JSON.stringify([
        {name: 'd', listen: '127.0.0.1:0', upstream: '127.0.0.1:9'},
        {name: 'd', listen: '127.0.0.1:0', upstream: '127.0.0.1:9'},
      ]),
    )
    const {proxies} = JSON.parse(response.body) as {proxies: ProxyJson[]}
    expect(proxies.map((p) => p.enabled)).toEqual([false, true])
    expect(Object.keys(JSON.parse((await api(server).get('/proxies')).body) as object)).toEqual(['d'])
  })

  it('stops at the first runtime error and keeps what was created before it', async () => {
    const server = await startServer()
    const busy = await busyPort()
    const response = await api(server).post(
      '/populate',
      JSON.stringify([
        {name: 'ok', listen: '127.0.0.1:0', upstream: '127.0.0.1:9'},
        {name: 'busy', listen: `127.0.0.1:${busy}`, upstream: '127.0.0.1:9'},
        {name: 'never', listen: '127.0.0.1:0', upstream: '127.0.0.1:9'},
      ]),
    )
    expect(response.status).toBe(500)
    expect(response.headers['content-type']).toBe('application/json')
    const body = JSON.parse(response.body) as {error: string; proxies: ProxyJson[]; status: number}
    expect(body.error).toBe(`listen tcp 127.0.0.1:${busy}: bind: address already in use`)
    expect(body.status).toBe(500)
    expect(body.proxies.map((p) => p.name)).toEqual(['ok'])
    expect(Object.keys(JSON.parse((await api(server).get('/proxies')).body) as object)).toEqual(['ok'])
  })
})

describe('POST /reset', () => {
  it('re-enables every proxy and removes every toxic through the normal path (timeout removal closes)', async () => {
    const server = await startServer()
    const http = api(server)
    const echo = await startEcho()
    await http.post('/proxies', JSON.stringify({name: 'a', listen: '127.0.0.1:0', upstream: echo.address}))
    await http.post('/proxies', JSON.stringify({name: 'b', listen: '127.0.0.1:0', upstream: echo.address}))
    const a = JSON.parse((await http.get('/proxies/a')).body) as ProxyJson
    await http.post('/proxies/a/toxics', '{"type":"timeout","attributes":{"timeout":0}}')
    await http.post('/proxies/a/toxics', '{"type":"latency","stream":"upstream","attributes":{"latency":1000}}')
    await http.patch('/proxies/b', '{"enabled":false}')
    const held = await dial(a.listen)
    // The connection has its links (and its timeout toxic) once the proxy has dialled the upstream.
    await until(() => echo.open.size === 1, 'the proxy to dial the upstream')
    await sleep(20)
    const heldEnded = closed(held)

    const response = await http.post('/reset', 'ignored body')
    expect([response.status, response.body]).toEqual([204, ''])
    expect(await heldEnded).toBe('end')
    const after = JSON.parse((await http.get('/proxies')).body) as Record<string, ProxyJson>
    expect(Object.values(after).map((p) => [p.name, p.enabled, p.toxics.length])).toEqual([
      ['a', true, 0],
      ['b', true, 0],
    ])
    expect((await roundTrip(after.a!.listen, 'a')).ms).toBeLessThan(500)
    expect((await roundTrip(after.b!.listen, 'b')).data).toBe('b')
  })

  it('stops with a 500 when a proxy cannot start again', async () => {
    const server = await startServer()
    const http = api(server)
    const busy = await busyPort()
    await http.post('/proxies', JSON.stringify({name: 'a', listen: `127.0.0.1:${busy}`, upstream: '127.0.0.1:9', enabled: false}))
    const response = await http.post('/reset')
    expect(response.status).toBe(500)
    expect(JSON.parse(response.body.trim())).toEqual({error: `listen tcp 127.0.0.1:${busy}: bind: address already in use`, status: 500})
  })
})
