/**
 * /metrics: only when enabled (otherwise an unknown path), any method, Prometheus text with Toxiproxy
 * 2.12's proxy counters and labels, counted when a connection's links finish, as in Toxiproxy.
 */
import {describe, expect, it} from 'vitest'

import {api, raw, roundTrip, startEcho, startServer, until} from './helpers.js'

function series(body: string, name: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const at = line.lastIndexOf(' ')
    out[line.slice(name.length, at)] = Number(line.slice(at + 1))
  }
  return out
}

describe('/metrics', () => {
  it('is an unknown path unless enabled', async () => {
    const server = await startServer()
    const response = await raw(server.url, '/metrics')
    expect([response.status, response.body]).toEqual([404, '404 page not found\n'])
  })

  it('counts the bytes of finished connections per direction, with Toxiproxy\'s names and labels', async () => {
    const server = await startServer({metrics: true})
    const http = api(server)
    const echo = await startEcho()
    const proxy = JSON.parse((await http.post('/proxies', JSON.stringify({name: 'm', listen: '127.0.0.1:0', upstream: echo.address}))).body) as {listen: string}
    await roundTrip(proxy.listen, 'hello')
    await roundTrip(proxy.listen, 'abc')
    const labels = (direction: string): string => `{direction="${direction}",listener="${proxy.listen}",proxy="m",upstream="${echo.address}"}`
    let body = ''
    await until(async () => {
      body = (await raw(server.url, '/metrics')).body
      return series(body, 'toxiproxy_proxy_sent_bytes_total')[labels('downstream')] === 8
    }, 'the counters to include both connections')
    expect(series(body, 'toxiproxy_proxy_received_bytes_total')).toEqual({[labels('upstream')]: 8, [labels('downstream')]: 8})
    expect(series(body, 'toxiproxy_proxy_sent_bytes_total')).toEqual({[labels('upstream')]: 8, [labels('downstream')]: 8})
    expect(body).toContain('# TYPE toxiproxy_proxy_received_bytes_total counter')
    expect(body).toContain('# HELP toxiproxy_proxy_sent_bytes_total Total bytes sent on a given proxy link')

    const post = await raw(server.url, '/metrics', {method: 'POST'})
    expect(post.status).toBe(200)
    expect(post.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(post.headers['x-toxiproxy-request-id']).toMatch(/^[0-9a-v]{20}$/)
    expect((await raw(server.url, '/metrics', {headers: {'User-Agent': 'Mozilla/5.0'}})).status).toBe(403)

    // A moved listener gets its own series; the old one keeps what happened under it.
    const moved = JSON.parse((await http.patch('/proxies/m', '{"listen":"127.0.0.1:0"}')).body) as {listen: string}
    await roundTrip(moved.listen, 'xy')
    await until(async () => (await raw(server.url, '/metrics')).body.includes(`listener="${moved.listen}"`), 'the new series')
    const after = series((await raw(server.url, '/metrics')).body, 'toxiproxy_proxy_received_bytes_total')
    expect(after[labels('upstream')]).toBe(8)
    expect(after[`{direction="upstream",listener="${moved.listen}",proxy="m",upstream="${echo.address}"}`]).toBe(2)
  })

  it('adds Node runtime metrics on request, like -runtime-metrics', async () => {
    const server = await startServer({runtimeMetrics: true})
    const body = (await raw(server.url, '/metrics')).body
    expect(body).toContain('process_cpu_user_seconds_total')
    expect(body).not.toContain('toxiproxy_proxy_')
  })
})
