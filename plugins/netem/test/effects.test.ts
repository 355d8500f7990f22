/**
 * What the netem driver's faults do to real packets between lab namespaces, measured before, during and after
 * each fault by node processes running inside the namespaces: UDP loss ratios over bounded probes, TCP handshakes
 * that never complete under a partition, a one-way partition that stays one-way, a bandwidth limit on a TCP
 * transfer, and (on kernels with sch_netem) latency on UDP round trips and on the TCP handshake.
 */
import type {FaultDefinition, Json} from 'rift/sdk'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import netem from '../src/driver.js'
import {createLab, destroyLab, labNodes} from '../src/lab.js'
import {inNamespace, isRoot, labNamespaces, median, netemSupported, qdiscs, uniqueLab} from './helpers.js'

const lab = uniqueLab('e')
const regions = ['us-east', 'eu-west']
const topology = {links: [], regions: regions.map((name) => ({name, services: {}, tags: {}}))}
const nodes = labNodes(lab, regions)
const node = (name: string) => nodes.find((n) => n.name === name)!
const log = {debug: () => {}, info: () => {}, warn: () => {}}
const servers: ReturnType<typeof inNamespace>[] = []
let faultCount = 0
/** NETEM_FIGURES=1 prints what each test measured. */
const figure = (line: string) => process.env.NETEM_FIGURES && process.stderr.write(`netem figures: ${line}\n`)

type Definition = FaultDefinition<unknown, unknown, Json>

/** Plans and injects like the engine; returns the revert. */
async function inject(kind: string, step: Record<string, unknown>): Promise<() => Promise<string>> {
  const definition = (kind.startsWith('netem.') ? netem.actions[kind.slice(6)] : (netem.faults as Record<string, Definition>)[kind]) as Definition
  const params = definition.params.parse(kind.startsWith('netem.') ? step : {duration: '1s', fault: kind, ...step})
  const plan = definition.plan(params, {config: {keep: false, lab}, faultId: `f${++faultCount}`, runId: 'effects', topology})
  if (!plan.ok) throw new Error(plan.reason)
  const context = {client: {lab}, log, signal: AbortSignal.timeout(20_000), state: plan.state}
  await definition.inject(context)
  expect((await definition.verify!(context)).landed).toBe(true)
  return () => definition.revert({...context, signal: AbortSignal.timeout(20_000)})
}

async function udpProbe(from: string, to: string, count: number): Promise<{received: number; rtts: number[]; sent: number}> {
  return inNamespace(node(from).namespace, ['udp-probe', node(to).address, 7000, count, 2]).done
}

async function tcpFetch(from: string, to: string, timeoutMs: number): Promise<{bytes: number; connectMs?: number; ok: boolean; totalMs?: number}> {
  return inNamespace(node(from).namespace, ['tcp-fetch', node(to).address, 7001, timeoutMs]).done
}

beforeAll(async () => {
  if (!isRoot) return
  await createLab(lab, regions)
  for (const region of regions) {
    for (const args of [['udp-echo', node(region).address, 7000], ['tcp-serve', node(region).address, 7001, 200_000]]) {
      const server = inNamespace(node(region).namespace, args)
      servers.push(server)
      await server.next() // listening
    }
  }
}, 60_000)

afterAll(async () => {
  for (const server of servers) server.child.kill()
  if (isRoot) {
    await destroyLab(lab, regions)
    expect(labNamespaces(lab)).toEqual([])
  }
})

describe.skipIf(!isRoot)('netem faults on real traffic (root)', () => {
  it('packet loss: about the requested share of UDP datagrams is lost, and none once reverted', async () => {
    const before = await udpProbe('us-east', 'eu-west', 300)
    expect(before.received).toBeGreaterThanOrEqual(297)
    const revert = await inject('netem.loss', {direction: 'one-way', from: 'us-east', percent: 30, to: 'eu-west'})
    const during = await udpProbe('us-east', 'eu-west', 1000)
    expect(await revert()).toBe('reverted')
    const after = await udpProbe('us-east', 'eu-west', 300)
    figure(`loss 30%: ${before.received}/${before.sent} before, ${during.received}/${during.sent} during, ${after.received}/${after.sent} after`)
    // 30% loss on the request leg: about 700 of 1000 round trips complete (σ ≈ 15); the bounds are ±6σ.
    expect(during.received).toBeGreaterThan(610)
    expect(during.received).toBeLessThan(790)
    expect(after.received).toBeGreaterThanOrEqual(297)
    expect(qdiscs(node('us-east').namespace, 'to-eu-west')).not.toContain('htb')
  }, 60_000)

  it('partition: the TCP handshake never completes and UDP is dropped; one-way stays one-way', async () => {
    expect(await tcpFetch('us-east', 'eu-west', 2000)).toMatchObject({bytes: 200_000, ok: true})
    const revert = await inject('partition', {direction: 'one-way', from: 'us-east', to: 'eu-west'})
    const fetch = await tcpFetch('us-east', 'eu-west', 1500)
    expect(fetch).toMatchObject({bytes: 0, error: 'timeout', ok: false})
    expect(fetch.connectMs).toBeUndefined() // the SYN itself was dropped: no handshake, unlike a TCP proxy
    expect((await udpProbe('us-east', 'eu-west', 50)).received).toBe(0)
    // The other direction still flows: eu-west's datagrams reach a sink in us-east.
    const sink = inNamespace(node('us-east').namespace, ['udp-sink', node('us-east').address, 7100, 1500])
    await sink.next()
    await inNamespace(node('eu-west').namespace, ['udp-send', node('us-east').address, 7100, 50, 5]).done
    expect(await sink.done).toEqual({received: 50})
    expect(await revert()).toBe('reverted')
    expect(await tcpFetch('us-east', 'eu-west', 2000)).toMatchObject({bytes: 200_000, ok: true})
  }, 60_000)

  it('region-outage: nothing reaches us-east or leaves it; eu-west is untouched', async () => {
    const revert = await inject('region-outage', {region: 'us-east'})
    expect(await tcpFetch('clients', 'us-east', 1000)).toMatchObject({ok: false})
    expect((await udpProbe('eu-west', 'us-east', 20)).received).toBe(0)
    expect(await tcpFetch('clients', 'eu-west', 2000)).toMatchObject({bytes: 200_000, ok: true})
    expect(await revert()).toBe('reverted')
    expect(await tcpFetch('clients', 'us-east', 2000)).toMatchObject({bytes: 200_000, ok: true})
  }, 60_000)

  it('bandwidth: a 200 KB transfer at 50 KB/s takes seconds instead of milliseconds', async () => {
    const before = await tcpFetch('us-east', 'eu-west', 5000)
    const revert = await inject('bandwidth', {direction: 'one-way', from: 'eu-west', kilobytesPerSecond: 50, to: 'us-east'})
    const during = await tcpFetch('us-east', 'eu-west', 20_000)
    expect(await revert()).toBe('reverted')
    expect(during).toMatchObject({bytes: 200_000, ok: true})
    figure(`bandwidth 50 KB/s: 200 KB in ${Math.round(before.totalMs!)} ms before, ${Math.round(during.totalMs!)} ms during`)
    // 200 KB at 50 KB/s is 4 s; allow for the initial burst and a loaded machine.
    expect(during.totalMs!).toBeGreaterThan(2500)
    expect(during.totalMs!).toBeGreaterThan(before.totalMs! * 5)
  }, 60_000)

  it.skipIf(!netemSupported())('latency: UDP round trips and the TCP handshake are delayed, and recover after revert', async () => {
    const before = median((await udpProbe('us-east', 'eu-west', 50)).rtts)
    const revert = await inject('latency', {direction: 'one-way', from: 'us-east', latency: '100ms', to: 'eu-west'})
    const during = median((await udpProbe('us-east', 'eu-west', 50)).rtts)
    const handshake = await tcpFetch('us-east', 'eu-west', 5000)
    expect(await revert()).toBe('reverted')
    const after = median((await udpProbe('us-east', 'eu-west', 50)).rtts)
    figure(`latency 100ms: median UDP RTT ${before} → ${during} → ${after} ms; handshake ${handshake.connectMs} ms`)
    expect(during - before).toBeGreaterThan(90)
    expect(handshake.connectMs!).toBeGreaterThan(90) // the SYN waited too
    expect(after).toBeLessThan(during - 80)
  }, 60_000)

  it.skipIf(netemSupported())('latency on a kernel without sch_netem: inject says why, and leaves no half-built qdisc', async () => {
    await expect(inject('latency', {direction: 'one-way', from: 'us-east', latency: '100ms', to: 'eu-west'})).rejects.toThrow(/no netem qdisc .*CONFIG_NET_SCH_NETEM/)
    expect(qdiscs(node('us-east').namespace, 'to-eu-west')).not.toContain('htb')
    expect((await udpProbe('us-east', 'eu-west', 50)).received).toBe(50)
  }, 60_000)
})
