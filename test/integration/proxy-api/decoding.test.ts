/**
 * Request bodies a client library cannot send, answered as Toxiproxy 2.12's Go decoder answers them: exact
 * error texts, case-insensitive keys, the first value only, integers that refuse 1.5/1.0/1e3, float32
 * toxicity, and the order of checks in toxic create and update (spec §1.1, §1.7).
 */
import {describe, expect, it} from 'vitest'

import {api, apiErrorBody, raw, startServer} from './helpers.js'

const BAD_PROXY_BODIES: Array<[string, string]> = [
  ['', 'EOF'],
  [' \n\t ', 'EOF'],
  ['{', 'unexpected EOF'],
  ['{"name":', 'unexpected EOF'],
  ['{"name":"a"', 'unexpected EOF'],
  ['{"name":"a', 'unexpected EOF'],
  ['{"name":tr', 'unexpected EOF'],
  ['x', "invalid character 'x' looking for beginning of value"],
  ['{"name" "a"}', `invalid character '"' after object key`],
  ['{"name":"a",}', "invalid character '}' looking for beginning of object key string"],
  ['{"name":"a" "b"}', `invalid character '"' after object key:value pair`],
  ['{name:1}', "invalid character 'n' looking for beginning of object key string"],
  ["{'name':1}", "invalid character '\\'' looking for beginning of object key string"],
  ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
  ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')"],
  ['{"a":-}', "invalid character '}' in numeric literal"],
  ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
  ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
  ['{"a":01}', "invalid character '1' after object key:value pair"],
  ['{"a":[1,]}', "invalid character ']' looking for beginning of value"],
  ['{"a":[1 2]}', "invalid character '2' after array element"],
  ['{"a":"\u0001"}', "invalid character '\\x01' in string literal"],
  ['{"a":"\n"}', "invalid character '\\n' in string literal"],
  ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
  ['{"a":"\\u12x4"}', "invalid character 'x' in \\u hexadecimal character escape"],
  ['{"name":1}', 'json: cannot unmarshal number into Go struct field Proxy.name of type string'],
  ['[]', 'json: cannot unmarshal array into Go value of type toxiproxy.Proxy'],
  ['"proxy"', 'json: cannot unmarshal string into Go value of type toxiproxy.Proxy'],
  ['42', 'json: cannot unmarshal number into Go value of type toxiproxy.Proxy'],
  ['true', 'json: cannot unmarshal bool into Go value of type toxiproxy.Proxy'],
  ['{"enabled":"yes"}', 'json: cannot unmarshal string into Go struct field Proxy.enabled of type bool'],
  ['{"name":"a","upstream":{}}', 'json: cannot unmarshal object into Go struct field Proxy.upstream of type string'],
  ['{"name":"a","listen":["x"]}', 'json: cannot unmarshal array into Go struct field Proxy.listen of type string'],
  ['{"Logger":1}', 'json: cannot unmarshal number into Go struct field Proxy.Logger of type zerolog.Logger'],
  // Go keeps decoding after a type error and reports the first one.
  ['{"name":1,"enabled":"x"}', 'json: cannot unmarshal number into Go struct field Proxy.name of type string'],
]

describe('POST /proxies bodies', () => {
  it.each(BAD_PROXY_BODIES)('%j → 400 bad request body: %s', async (body, error) => {
    const server = await startServer()
    const response = await api(server).post('/proxies', body)
    expect(response.status).toBe(400)
    expect(response.body).toBe(apiErrorBody(400, `bad request body: ${error}`))
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect((await api(server).get('/proxies')).body).toBe('{}')
  })

  it('matches keys case-insensitively, ignores unknown keys and trailing bytes, and lets the last duplicate win', async () => {
    const server = await startServer()
    const created = await api(server).post(
      '/proxies',
      '{"NAME":"first","name":"a","UpStream":"127.0.0.1:9","LISTEN":"127.0.0.1:0","toxics":[1],"extra":{"deep":[true]}} trailing {garbage',
    )
    expect(created.status).toBe(201)
    expect(JSON.parse(created.body)).toMatchObject({name: 'a', upstream: '127.0.0.1:9', enabled: true, toxics: []})
    // Go folds K (Kelvin sign) and ſ (long s) too.
    const folded = await api(server).post('/proxies', '{"name":"b","upſtream":"127.0.0.1:9","listen":"127.0.0.1:0"}')
    expect(JSON.parse(folded.body)).toMatchObject({name: 'b', upstream: '127.0.0.1:9'})
  })

  it('reads escapes in keys and values, and null leaves the default', async () => {
    const server = await startServer()
    const created = await api(server).post('/proxies', '{"n\\u0061me":"\\u00e9\\ud83d\\ude00\\ud800","upstream":"127.0.0.1:9","listen":"127.0.0.1:0","enabled":null}')
    expect(created.status).toBe(201)
    expect(JSON.parse(created.body)).toMatchObject({name: 'é😀\ufffd', enabled: true})
  })

  it('checks name, then upstream, then the duplicate', async () => {
    const server = await startServer()
    const http = api(server)
    expect((await http.post('/proxies', 'null')).body).toBe(apiErrorBody(400, 'missing required field: name'))
    expect((await http.post('/proxies', '{"upstream":"x"}')).body).toBe(apiErrorBody(400, 'missing required field: name'))
    expect((await http.post('/proxies', '{"name":"a"}')).body).toBe(apiErrorBody(400, 'missing required field: upstream'))
    expect((await http.post('/proxies', '{"name":"a","upstream":"u","enabled":false}')).status).toBe(201)
    const duplicate = await http.post('/proxies', '{"name":"a","upstream":""}')
    expect(duplicate.body).toBe(apiErrorBody(400, 'missing required field: upstream'))
    expect((await http.post('/proxies', '{"name":"a","upstream":"u"}')).body).toBe(apiErrorBody(409, 'proxy already exists'))
  })

  it('ignores the request Content-Type', async () => {
    const server = await startServer()
    const response = await api(server).post('/proxies', '{"name":"a","upstream":"u","enabled":false}')
    expect(response.status).toBe(201)
    const form = await raw(server.url, '/proxies', {
      method: 'POST',
      body: '{"name":"b","upstream":"u","enabled":false}',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    })
    expect(form.status).toBe(201)
  })
})

describe('POST /proxies/{proxy}/toxics bodies', () => {
  async function withProxy() {
    const server = await startServer()
    const http = api(server)
    await http.post('/proxies', '{"name":"p","upstream":"127.0.0.1:9","listen":"127.0.0.1:0"}')
    return {http, server}
  }

  const BAD_TOXIC_BODIES: Array<[string, string]> = [
    ['', 'EOF'],
    ['{"type":"latency"', 'unexpected EOF'],
    ['{"type":"latency","attributes":{"latency":1.5}}', 'json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"type":"latency","attributes":{"latency":1.0}}', 'json: cannot unmarshal number 1.0 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"type":"latency","attributes":{"latency":1e3}}', 'json: cannot unmarshal number 1e3 into Go struct field LatencyToxic.attributes.latency of type int64'],
    [
      '{"type":"latency","attributes":{"jitter":9223372036854775808}}',
      'json: cannot unmarshal number 9223372036854775808 into Go struct field LatencyToxic.attributes.jitter of type int64',
    ],
    ['{"type":"latency","attributes":{"latency":"100"}}', 'json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"type":"latency","attributes":{"latency":true}}', 'json: cannot unmarshal bool into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"type":"slicer","attributes":{"average_size":2.5}}', 'json: cannot unmarshal number 2.5 into Go struct field SlicerToxic.attributes.average_size of type int'],
    ['{"type":"bandwidth","attributes":{"rate":[]}}', 'json: cannot unmarshal array into Go struct field BandwidthToxic.attributes.rate of type int64'],
    ['{"type":"corrupt","attributes":{"rate":"x"}}', 'json: cannot unmarshal string into Go struct field CorruptToxic.attributes.rate of type float64'],
    ['{"type":"latency","attributes":[]}', 'json: cannot unmarshal array into Go struct field ToxicWrapper.attributes of type toxics.NoopToxic'],
    ['{"type":"latency","attributes":"x"}', 'json: cannot unmarshal string into Go struct field ToxicWrapper.attributes of type toxics.NoopToxic'],
    ['{"type":5}', 'json: cannot unmarshal number into Go struct field ToxicWrapper.type of type string'],
    ['{"type":"latency","toxicity":"x"}', 'json: cannot unmarshal string into Go struct field ToxicWrapper.toxicity of type float32'],
    ['{"type":"latency","toxicity":1e39}', 'json: cannot unmarshal number 1e39 into Go struct field ToxicWrapper.toxicity of type float32'],
    ['[]', 'json: cannot unmarshal array into Go value of type toxics.ToxicWrapper'],
  ]

  it.each(BAD_TOXIC_BODIES)('%j → 400 bad request body: %s', async (body, error) => {
    const {http} = await withProxy()
    const response = await http.post('/proxies/p/toxics', body)
    expect(response.body).toBe(apiErrorBody(400, `bad request body: ${error}`))
    expect((await http.get('/proxies/p/toxics')).body).toBe('[]')
  })

  it('defaults to downstream, toxicity 1 and the name <type>_<stream as sent>; keys fold; toxicity is a float32', async () => {
    const {http} = await withProxy()
    const a = await http.post('/proxies/p/toxics', '{"Type":"latency","STREAM":"UPSTREAM","Toxicity":0.1,"Attributes":{"LATENCY":5,"unknown":1}} trailing')
    expect(a.status).toBe(200)
    expect(a.body).toBe('{"attributes":{"latency":5,"jitter":0},"name":"latency_UPSTREAM","type":"latency","stream":"UPSTREAM","toxicity":0.1}')
    const b = await http.post('/proxies/p/toxics', '{"type":"slicer"}')
    expect(b.body).toBe('{"attributes":{"average_size":0,"size_variation":0,"delay":0},"name":"slicer_downstream","type":"slicer","stream":"downstream","toxicity":1}')
    const c = await http.post('/proxies/p/toxics', '{"type":"noop","stream":null,"toxicity":null,"attributes":null}')
    expect(c.body).toBe('{"attributes":{},"name":"noop_downstream","type":"noop","stream":"downstream","toxicity":1}')
    const d = await http.post('/proxies/p/toxics', '{"type":"corrupt","name":"c","attributes":{"rate":1e-7}}')
    expect(d.body).toBe('{"attributes":{"rate":1e-7},"name":"c","type":"corrupt","stream":"downstream","toxicity":1}')
    const e = await http.post('/proxies/p/toxics', '{"type":"limit_data","name":"big","attributes":{"bytes":-9007199254740991}}')
    expect(JSON.parse(e.body)).toMatchObject({attributes: {bytes: -9007199254740991}})
    const list = await http.get('/proxies/p/toxics')
    // Upstream toxics first, then downstream, each in insertion order.
    expect((JSON.parse(list.body) as Array<{name: string}>).map((t) => t.name)).toEqual(['latency_UPSTREAM', 'slicer_downstream', 'noop_downstream', 'c', 'big'])
  })

  it('does not validate toxicity', async () => {
    const {http} = await withProxy()
    for (const [name, toxicity, shown] of [['zero', '0', '0'], ['big', '2.5', '2.5'], ['neg', '-1', '-1'], ['third', '0.3333333333', '0.33333334']] as const) {
      const response = await http.post('/proxies/p/toxics', `{"type":"noop","name":"${name}","toxicity":${toxicity}}`)
      expect(response.body).toContain(`"toxicity":${shown}}`)
    }
  })

  it('checks the stream, then the type (case-sensitive), then the duplicate (both directions), then the attributes', async () => {
    const {http} = await withProxy()
    const stream = 'stream was invalid, can be either upstream or downstream'
    expect((await http.post('/proxies/p/toxics', '{"type":"latency","stream":""}')).body).toBe(apiErrorBody(400, stream))
    expect((await http.post('/proxies/p/toxics', '{"type":"bogus","stream":"sideways"}')).body).toBe(apiErrorBody(400, stream))
    expect((await http.post('/proxies/p/toxics', '{"type":"Latency"}')).body).toBe(apiErrorBody(400, 'invalid toxic type'))
    expect((await http.post('/proxies/p/toxics', '{"type":"down"}')).body).toBe(apiErrorBody(400, 'invalid toxic type'))
    expect((await http.post('/proxies/p/toxics', '{}')).body).toBe(apiErrorBody(400, 'invalid toxic type'))
    expect((await http.post('/proxies/p/toxics', '{"type":"latency"}')).status).toBe(200)
    expect((await http.post('/proxies/p/toxics', '{"type":"bogus","name":"latency_downstream"}')).body).toBe(apiErrorBody(400, 'invalid toxic type'))
    expect((await http.post('/proxies/p/toxics', '{"type":"timeout","stream":"upstream","name":"latency_downstream"}')).body).toBe(
      apiErrorBody(409, 'toxic already exists'),
    )
    expect((await http.post('/proxies/p/toxics', '{"type":"latency","attributes":{"latency":"x"}}')).body).toBe(apiErrorBody(409, 'toxic already exists'))
    expect((await http.post('/proxies/nope/toxics', '')).body).toBe(apiErrorBody(404, 'proxy not found'))
  })
})

describe('POST/PATCH /proxies/{proxy}/toxics/{toxic} bodies', () => {
  async function withToxic() {
    const server = await startServer()
    const http = api(server)
    await http.post('/proxies', '{"name":"p","upstream":"127.0.0.1:9","listen":"127.0.0.1:0"}')
    await http.post('/proxies/p/toxics', '{"type":"latency","toxicity":0.5,"attributes":{"latency":100,"jitter":10}}')
    return http
  }

  it('merges attributes, keeps toxicity when absent or null, and ignores name, type and stream', async () => {
    const http = await withToxic()
    const a = await http.post('/proxies/p/toxics/latency_downstream', '{"attributes":{"JITTER":5},"name":"x","type":"timeout","stream":"upstream"}')
    expect(a.body).toBe('{"attributes":{"latency":100,"jitter":5},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":0.5}')
    const b = await http.patch('/proxies/p/toxics/latency_downstream', '{"toxicity":null,"attributes":null}')
    expect(b.body).toBe(a.body)
    const c = await http.patch('/proxies/p/toxics/latency_downstream', '{"toxicity":1}')
    expect(JSON.parse(c.body)).toMatchObject({toxicity: 1, attributes: {latency: 100, jitter: 5}})
  })

  it('is not atomic, as in Go: attributes decoded before a type error are kept, toxicity is not', async () => {
    const http = await withToxic()
    const failed = await http.post('/proxies/p/toxics/latency_downstream', '{"toxicity":0.9,"attributes":{"jitter":7,"latency":"x"}}')
    expect(failed.body).toBe(apiErrorBody(400, 'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64'))
    const now = await http.get('/proxies/p/toxics/latency_downstream')
    expect(JSON.parse(now.body)).toMatchObject({toxicity: 0.5, attributes: {latency: 100, jitter: 7}})
  })

  it('answers bad bodies with the anonymous struct Go decodes into', async () => {
    const http = await withToxic()
    const cases: Array<[string, string]> = [
      ['', 'EOF'],
      ['{"attributes":', 'unexpected EOF'],
      ['{"toxicity":"x"}', 'json: cannot unmarshal string into Go struct field .toxicity of type float32'],
      ['{"attributes":[]}', 'json: cannot unmarshal array into Go struct field .attributes of type toxics.LatencyToxic'],
      ['{"attributes":{"latency":1.0}}', 'json: cannot unmarshal number 1.0 into Go struct field LatencyToxic.attributes.latency of type int64'],
      ['[]', 'json: cannot unmarshal array into Go value of type struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }'],
    ]
    for (const [body, error] of cases) {
      expect((await http.post('/proxies/p/toxics/latency_downstream', body)).body).toBe(apiErrorBody(400, `bad request body: ${error}`))
    }
  })

  it('looks up the proxy, then the toxic, before reading the body', async () => {
    const http = await withToxic()
    expect((await http.post('/proxies/nope/toxics/nope', '')).body).toBe(apiErrorBody(404, 'proxy not found'))
    expect((await http.post('/proxies/p/toxics/nope', '')).body).toBe(apiErrorBody(404, 'toxic not found'))
    expect((await http.get('/proxies/nope/toxics/nope')).body).toBe(apiErrorBody(404, 'proxy not found'))
    expect((await http.delete('/proxies/p/toxics/nope')).body).toBe(apiErrorBody(404, 'toxic not found'))
    expect((await http.post('/proxies/nope', '')).body).toBe(apiErrorBody(404, 'proxy not found'))
    expect((await http.post('/proxies/p', '')).body).toBe(apiErrorBody(400, 'bad request body: EOF'))
  })
})
