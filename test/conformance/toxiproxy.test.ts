/**
 * The toxiproxy driver through the conformance kit, against rift's embedded proxy server with a real HTTP
 * upstream on loopback. The fresh process reverts over HTTP against the same server.
 */
import {createServer as createHttpServer, type Server} from 'node:http'
import {createServer, type AddressInfo} from 'node:net'
import {afterAll, beforeAll, expect, it} from 'vitest'

import type {Topology} from '../../src/drivers/define.js'
import toxiproxy from '../../src/drivers/toxiproxy/index.js'
import type {Link} from '../../src/experiment/schema.js'
import {startProxyServer, type ProxyServer} from '../../src/proxy/server.js'
import {formatReport, runConformance} from '../../src/testing/index.js'

let server: ProxyServer
let http: Server
let topology: Topology

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const {port} = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

beforeAll(async () => {
  server = await startProxyServer({port: 0})
  http = createHttpServer((_, response) => response.end('ok'))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const upstream = `127.0.0.1:${(http.address() as AddressInfo).port}`
  const links: Link[] = [
    {from: 'clients', kind: 'client', listen: `127.0.0.1:${await freePort()}`, name: 'client-us-east', protocol: 'http', to: 'us-east', upstream},
    {from: 'clients', kind: 'client', listen: `127.0.0.1:${await freePort()}`, name: 'client-eu-west', protocol: 'http', to: 'eu-west', upstream},
    {from: 'us-east', kind: 'replication', listen: `127.0.0.1:${await freePort()}`, name: 'repl-us-east-eu-west', to: 'eu-west', upstream},
  ]
  topology = {links, regions: [{name: 'us-east', services: {}, tags: {}}, {name: 'eu-west', services: {}, tags: {}}]}
})
afterAll(async () => {
  await server.close()
  await new Promise((resolve) => http.close(resolve))
})

it('the toxiproxy driver passes the conformance kit against the embedded proxy server', async () => {
  const report = await runConformance(toxiproxy, {
    config: {leaseTtl: '10s', server: 'rift', url: server.url},
    declined: [
      {fault: 'dns-failover', region: 'us-east'}, // not a proxy fault
      {fault: 'replication-pause', from: 'eu-west', to: 'us-east'}, // no replication link that way
    ],
    faults: [
      {fault: 'region-outage', mode: 'reject', region: 'us-east'},
      {fault: 'latency', from: 'clients', latency: '100ms', to: 'us-east'},
      {fault: 'partition', from: 'clients', to: 'eu-west'},
      {fault: 'bandwidth', from: 'clients', kilobytesPerSecond: 50, to: 'us-east'},
      {fault: 'replication-pause', from: 'us-east', to: 'eu-west'},
      {fault: 'replica-corruption', from: 'us-east', to: 'eu-west'},
      {action: 'toxiproxy.toxic', params: {attributes: {latency: 120}, link: 'client-eu-west', stream: 'downstream', type: 'latency'}},
    ],
    module: new URL('../../src/drivers/toxiproxy/index.ts', import.meta.url),
    topology,
  })
  expect(report.failures, formatReport(report)).toEqual([])
  expect(report.checks.filter((check) => check.status === 'skipped'), formatReport(report)).toEqual([])
}, 180_000)
