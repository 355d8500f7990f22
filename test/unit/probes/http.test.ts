import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {httpProbeSchema} from '../../../src/experiment/schema.js'
import {runHttpProbe} from '../../../src/probes/http.js'
import {refusedPort, type Running, startHttpServer} from './servers.js'

let server: Running
let base: string
beforeAll(async () => {
  server = await startHttpServer()
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => server.close())

const never = new AbortController().signal
const spec = (http: Record<string, unknown>) => httpProbeSchema.parse({http}).http

describe('http probe', () => {
  it('passes on a 2xx by default and reports status and latency', async () => {
    const outcome = await runHttpProbe(spec({url: `${base}/health`}), never)
    expect(outcome).toMatchObject({ok: true, value: 200})
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0)
    expect(outcome.durationMs).toBeGreaterThanOrEqual(outcome.latencyMs!)
    expect(outcome.detail).toMatch(new RegExp(`^GET ${base}/health → 200 in \\d+ms$`))
  })

  it('fails on a 5xx by default, and passes when that status is what is expected', async () => {
    const failed = await runHttpProbe(spec({url: `${base}/down`}), never)
    expect(failed).toMatchObject({ok: false, value: 503})
    expect(failed.detail).toContain('expected a status below 400')
    expect(await runHttpProbe(spec({expect: {status: 503}, url: `${base}/down`}), never)).toMatchObject({ok: true})
  })

  it('accepts a list of statuses', async () => {
    expect(await runHttpProbe(spec({expect: {status: [200, 204]}, url: `${base}/health`}), never)).toMatchObject({ok: true})
    const outcome = await runHttpProbe(spec({expect: {status: [201, 204]}, url: `${base}/health`}), never)
    expect(outcome).toMatchObject({ok: false, value: 200})
    expect(outcome.detail).toContain('expected status 201 or 204')
  })

  it('checks that the body contains a string', async () => {
    expect(await runHttpProbe(spec({expect: {bodyContains: 'healthy'}, url: `${base}/health`}), never)).toMatchObject({ok: true})
    const outcome = await runHttpProbe(spec({expect: {bodyContains: 'degraded'}, url: `${base}/health`}), never)
    expect(outcome.ok).toBe(false)
    expect(outcome.detail).toContain('body does not contain "degraded"')
  })

  it('sends the method, headers and body', async () => {
    const outcome = await runHttpProbe(
      spec({body: 'payload', expect: {bodyContains: 'PUT yes payload'}, headers: {'x-probe': 'yes'}, method: 'PUT', url: `${base}/echo`}),
      never,
    )
    expect(outcome).toMatchObject({ok: true, value: 200})
  })

  it('follows redirects', async () => {
    expect(await runHttpProbe(spec({url: `${base}/moved`}), never)).toMatchObject({ok: true, value: 200})
  })

  it('reports a refused connection as a failure with no status', async () => {
    const outcome = await runHttpProbe(spec({url: `http://127.0.0.1:${await refusedPort()}/`}), never)
    expect(outcome).toMatchObject({latencyMs: null, ok: false, value: null})
    expect(outcome.detail).toContain('connection refused (ECONNREFUSED)')
  })

  it('gives up at the timeout when the server never answers', async () => {
    const outcome = await runHttpProbe(spec({timeout: '200ms', url: `${base}/slow`}), never)
    expect(outcome).toMatchObject({ok: false, value: null})
    expect(outcome.detail).toContain('no response within 200ms')
    expect(outcome.durationMs).toBeLessThan(2000)
  })

  it('stops and rejects when the caller aborts', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const started = performance.now()
    await expect(runHttpProbe(spec({timeout: '10s', url: `${base}/slow`}), controller.signal)).rejects.toMatchObject({name: 'AbortError'})
    expect(performance.now() - started).toBeLessThan(2000)
    await expect(runHttpProbe(spec({url: `${base}/health`}), AbortSignal.abort())).rejects.toMatchObject({name: 'AbortError'})
  })
})
