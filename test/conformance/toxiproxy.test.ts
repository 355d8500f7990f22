/**
 * The toxiproxy driver through the conformance kit, against rift's embedded proxy server with a real HTTP
 * upstream on loopback. The fresh process reverts over HTTP against the same server.
 */
import {afterAll, beforeAll, expect, it} from 'vitest'

import type {Topology} from '../../src/drivers/define.js'
import toxiproxy from '../../src/drivers/toxiproxy/index.js'
import type {ProxyServer} from '../../src/proxy/server.js'
import {startToxiproxyRig, type ToxiproxyRig} from '../helpers/toxiproxy-rig.js'
import {formatReport, runConformance} from '../../src/testing/index.js'

let rig: ToxiproxyRig
let server: ProxyServer
let topology: Topology

beforeAll(async () => {
  rig = await startToxiproxyRig()
  ;({server, topology} = rig)
})
afterAll(() => rig.close())

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
