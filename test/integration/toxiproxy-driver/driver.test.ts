/**
 * The toxiproxy driver against rift's own server (started as a library here; e2e runs it as a separate
 * `rift proxy` process), with real TCP and HTTP upstreams on loopback.
 */
import {connect} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Driver, FaultDefinition, Json, Topology} from '../../../src/drivers/define.js'
import toxiproxy from '../../../src/drivers/toxiproxy/index.js'
import type {ToxiproxyClient} from '../../../src/drivers/toxiproxy/client.js'
import {faultSchemas} from '../../../src/experiment/schema.js'
import type {ProxyServer} from '../../../src/proxy/server.js'
import {startToxiproxyRig, type ToxiproxyRig} from '../../helpers/toxiproxy-rig.js'

const log = {debug: () => {}, info: () => {}, warn: () => {}}
let rig: ToxiproxyRig
let server: ProxyServer
let topology: Topology

beforeAll(async () => {
  rig = await startToxiproxyRig()
  ;({server, topology} = rig)
})
afterAll(() => rig.close())

const config = () => toxiproxy.config.parse({server: 'rift', url: server.url, leaseTtl: '2s'})
const connectDriver = (driver: Driver = toxiproxy) =>
  driver.connect(config(), {log, signal: AbortSignal.timeout(10_000), stateDir: '/tmp', topology}) as Promise<ToxiproxyClient>

function plan(kind: keyof typeof faultSchemas, step: Record<string, unknown>, faultId = 'f1') {
  const definition = toxiproxy.faults[kind] as FaultDefinition<ToxiproxyClient, unknown, Json>
  const params = faultSchemas[kind].parse({duration: '1s', fault: kind, ...step})
  const result = definition.plan(params, {config: config(), faultId, runId: 'r1', topology})
  if (!result.ok) throw new Error(result.reason)
  return {definition, state: result.state, result}
}

function refused(address: string): Promise<boolean> {
  const [host, port] = address.split(':')
  return new Promise((resolve) => {
    const socket = connect({host, port: Number(port)})
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

async function timeGet(address: string): Promise<number> {
  const started = performance.now()
  const response = await fetch(`http://${address}/`)
  await response.text()
  return performance.now() - started
}

describe('the toxiproxy driver', () => {
  it('creates a proxy for every link that declares listen and upstream when it connects', async () => {
    const client = await connectDriver()
    try {
      expect(await (await fetch(`http://${topology.links[0]!.listen}/`)).text()).toBe('ok')
    } finally {
      await client.close()
    }
  })

  it('plans deterministically, with names derived from the run id', () => {
    const first = plan('latency', {from: 'clients', latency: '100ms', to: 'us-east'}).result
    const second = plan('latency', {from: 'clients', latency: '100ms', to: 'us-east'}).result
    expect(first).toEqual(second)
    expect(first.actions.map((a) => a.description)).toEqual(['add latency toxic rift-r1-f1-1 to proxy client-us-east (upstream, jitter=0 latency=100)', 'add latency toxic rift-r1-f1-2 to proxy client-us-east (downstream, jitter=0 latency=100)'])
  })

  it('region-outage reject refuses connections, verifies it, and reverts idempotently', async () => {
    const client = await connectDriver()
    try {
      const {definition, state} = plan('region-outage', {mode: 'reject', region: 'us-east'})
      await definition.inject({client, log, signal: AbortSignal.timeout(5000), state})
      expect(await refused(topology.links[0]!.listen!)).toBe(true)
      expect(await refused(topology.links[1]!.listen!)).toBe(false) // eu-west's clients are untouched
      expect(await definition.verify!({client, log, signal: AbortSignal.timeout(5000), state})).toMatchObject({landed: true})
      expect(await definition.revert({client, log, signal: AbortSignal.timeout(5000), state})).toBe('reverted')
      expect(await refused(topology.links[0]!.listen!)).toBe(false)
      expect(await definition.revert({client, log, signal: AbortSignal.timeout(5000), state})).toBe('already-reverted')
    } finally {
      await client.close()
    }
  })

  it('latency shows up in the round trip, and verify measures it', async () => {
    const client = await connectDriver()
    try {
      const before = await timeGet(topology.links[0]!.listen!)
      const {definition, state} = plan('latency', {direction: 'one-way', from: 'clients', latency: '150ms', to: 'us-east'})
      await definition.inject({client, log, signal: AbortSignal.timeout(5000), state})
      const during = await timeGet(topology.links[0]!.listen!)
      expect(during - before).toBeGreaterThan(140)
      const verification = await definition.verify!({client, log, signal: AbortSignal.timeout(5000), state})
      expect(verification.landed).toBe(true)
      expect(verification.detail).toMatch(/took \d+ ms longer/)
      expect(await definition.revert({client, log, signal: AbortSignal.timeout(5000), state})).toBe('reverted')
    } finally {
      await client.close()
    }
  })

  it('region-outage reset makes a request through the link fail with ECONNRESET', async () => {
    const client = await connectDriver()
    try {
      const {definition, state} = plan('region-outage', {mode: 'reset', region: 'us-east'}, 'f3')
      await definition.inject({client, log, signal: AbortSignal.timeout(5000), state})
      const [host, port] = topology.links[0]!.listen!.split(':')
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({host, port: Number(port)}, () => socket.write('GET / HTTP/1.0\r\n\r\n'))
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
        socket.on('end', () => resolve('FIN'))
        socket.on('data', () => resolve('data'))
      })
      expect(outcome).toBe('ECONNRESET')
      expect(await definition.revert({client, log, signal: AbortSignal.timeout(5000), state})).toBe('reverted')
      expect(await (await fetch(`http://${topology.links[0]!.listen!}/`)).text()).toBe('ok')
    } finally {
      await client.close()
    }
  })

  it('the raw toxiproxy.toxic action puts any toxic on any link', async () => {
    const client = await connectDriver()
    try {
      const action = toxiproxy.actions.toxic as FaultDefinition<ToxiproxyClient, unknown, Json>
      const params = action.params.parse({attributes: {latency: 120}, link: 'client-eu-west', stream: 'downstream', type: 'latency'})
      const result = action.plan(params, {config: config(), faultId: 'f4', runId: 'r1', topology})
      if (!result.ok) throw new Error(result.reason)
      await action.inject({client, log, signal: AbortSignal.timeout(5000), state: result.state})
      expect(await timeGet(topology.links[1]!.listen!)).toBeGreaterThan(110)
      expect((await action.verify!({client, log, signal: AbortSignal.timeout(5000), state: result.state})).landed).toBe(true)
      expect(await action.revert({client, log, signal: AbortSignal.timeout(5000), state: result.state})).toBe('reverted')
    } finally {
      await client.close()
    }
  })

  it('reverts from a fresh connection, as rift rollback does from the ledger', async () => {
    const first = await connectDriver()
    const {definition, state} = plan('partition', {from: 'us-east', to: 'eu-west'})
    await definition.inject({client: first, log, signal: AbortSignal.timeout(5000), state})
    // The ledgered state survives a JSON round trip; a new client without the topology undoes it.
    const ledgered = JSON.parse(JSON.stringify(state)) as Json
    const fresh = (await toxiproxy.connect(config(), {log, signal: AbortSignal.timeout(5000), stateDir: '/tmp'})) as ToxiproxyClient
    try {
      expect(await definition.revert({client: fresh, log, signal: AbortSignal.timeout(5000), state: ledgered})).toBe('reverted')
      expect(await definition.revert({client: fresh, log, signal: AbortSignal.timeout(5000), state: ledgered})).toBe('already-reverted')
    } finally {
      await fresh.close()
      await first.close()
    }
  })

  it('reverting a fault that was never injected is harmless', async () => {
    const client = await connectDriver()
    try {
      const {definition, state} = plan('replication-pause', {from: 'us-east', to: 'eu-west'}, 'f9')
      expect(await definition.revert({client, log, signal: AbortSignal.timeout(5000), state})).toBe('already-reverted')
    } finally {
      await client.close()
    }
  })

  it('declines what it cannot honour: dns-failover, corruption on a real Toxiproxy, replication without a replication link', () => {
    expect(toxiproxy.faults['dns-failover']).toBeUndefined()
    const corruption = toxiproxy.faults['replica-corruption']!
    const params = faultSchemas['replica-corruption'].parse({duration: '1s', fault: 'replica-corruption', from: 'us-east', to: 'eu-west'})
    const real = toxiproxy.config.parse({url: 'http://127.0.0.1:8474'})
    expect(corruption.plan(params, {config: real, faultId: 'f1', runId: 'r', topology})).toMatchObject({ok: false, reason: expect.stringContaining('corrupt')})
    const reverse = faultSchemas['replication-pause'].parse({duration: '1s', fault: 'replication-pause', from: 'eu-west', to: 'us-east'})
    expect(toxiproxy.faults['replication-pause']!.plan(reverse, {config: config(), faultId: 'f1', runId: 'r', topology})).toMatchObject({ok: false})
  })

  it('holds faults under a lease, and releasing the lease at disconnect reverts whatever is still held', async () => {
    const client = await connectDriver()
    const {definition, state} = plan('region-outage', {mode: 'blackhole', region: 'eu-west'}, 'f7')
    await definition.inject({client, log, signal: AbortSignal.timeout(5000), state})
    const leases = (await (await fetch(`${server.url}/leases`)).json()) as {held: unknown[]; id: string}[]
    expect(leases.flatMap((lease) => lease.held)).toHaveLength(4) // two links × two streams
    await client.close()
    const after = await connectDriver()
    try {
      expect(await definition.revert({client: after, log, signal: AbortSignal.timeout(5000), state})).toBe('already-reverted')
    } finally {
      await after.close()
    }
  })
})
