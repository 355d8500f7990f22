/**
 * The ledger against stores whose misbehaviour the test controls: a loopback KV server that acknowledges
 * writes and silently drops a chosen set, corrupts one, stores one it refused; then rift's sandbox losing
 * the writes acknowledged while async replication was paused, across a failover.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'

import {checkLedger, createHttpLedgerAdapter, startLedgerWriter, type LedgerAdapter} from '../../../src/workloads/ledger/index.js'
import {addToxic, disable, nodeState, routerState, sandbox, stopAll, until} from '../sandbox/helpers.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
  await stopAll()
})

const epochNow = (): number => performance.timeOrigin + performance.now()
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface Misbehaviour {
  /** Acknowledged (200) but never stored. */
  drop: Set<number>
  /** Acknowledged, stored with a damaged value. */
  corrupt: number
  /** Stored, but answered 503. */
  storeButRefuse: number
  /** Answered 500, not stored. */
  refuse: number
}

/** A KV server on 127.0.0.1 that misbehaves by each key's `-<seq>` suffix; it records when it acknowledged each write. */
async function faultyKv(plan: Misbehaviour): Promise<{url: string; ackedAtMs: Map<number, number>}> {
  const store = new Map<string, string>()
  const ackedAtMs = new Map<number, number>()
  const server = createServer((req, res) => {
    const key = decodeURIComponent((req.url ?? '').replace(/^\/kv\//, ''))
    const seq = Number(/-(\d+)$/.exec(key)?.[1] ?? -1)
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (req.method === 'GET') {
        const value = store.get(key)
        if (value === undefined) res.writeHead(404).end()
        else res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({key, value, version: 1}))
        return
      }
      const value = Buffer.concat(chunks).toString('utf8')
      if (seq === plan.refuse) return void res.writeHead(500).end('no')
      if (seq === plan.storeButRefuse) {
        store.set(key, value)
        return void res.writeHead(503).end('overloaded')
      }
      if (seq === plan.corrupt) store.set(key, value.replace(/.$/, (last) => (last === '0' ? '1' : '0')))
      else if (!plan.drop.has(seq)) store.set(key, value)
      ackedAtMs.set(seq, epochNow())
      res.writeHead(200).end()
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {ackedAtMs, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}
}

describe('ledger workload', () => {
  it('reports exactly the writes a store acknowledged and dropped, and the window they span', async () => {
    const drop = new Set([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 45])
    const kv = await faultyKv({corrupt: 5, drop, refuse: 41, storeButRefuse: 40})
    const adapter = createHttpLedgerAdapter({read: `GET ${kv.url}/kv/{key}`, write: `PUT ${kv.url}/kv/{key}`})
    const runId = 'run7'
    const writer = startLedgerWriter({adapter, maxWrites: 60, rate: '100/s', runId})
    await until(() => writer.issued === 60, 'the writer to issue 60 writes')
    const attempts = await writer.stop()
    expect(attempts).toHaveLength(60)

    const report = await checkLedger(adapter, attempts, {resolutionMs: writer.intervalMs})
    const dropped = [...drop].map((seq) => `${runId}-${seq}`)
    expect(report.lost.count).toBe(drop.size)
    expect(report.lost.keys.toSorted()).toEqual(dropped.toSorted())
    const lostAckTimes = report.lost.keys.map((key) => attempts.find((a) => a.key === key)!.endedAtMs)
    expect(lostAckTimes).toEqual(lostAckTimes.toSorted((a, b) => a - b)) // in ack order
    expect(report.counts).toEqual({
      'acked-and-lost': 11,
      'acked-and-present': 60 - 11 - 3,
      corrupted: 1,
      duplicated: 0,
      stale: 0,
      'unacked-and-absent': 1,
      'unacked-but-present': 1,
      unreadable: 0,
    })
    expect(report.keys.find((verdict) => verdict.class === 'corrupted')?.key).toBe(`${runId}-5`)
    expect(report.keys.find((verdict) => verdict.class === 'unacked-but-present')?.key).toBe(`${runId}-40`)
    expect(report.ackedNotIntact).toBe(12)
    expect(report.inconclusive).toBe(false)

    // The RPO window against the server's own acknowledgement times.
    const server = (seq: number): number => kv.ackedAtMs.get(seq)!
    // Acks can come back out of seq order under load, so place the intact writes by their ack times:
    // normally run7-19 is the last before the loss and 30..44 less the two refused (13) fall inside it.
    const ackAt = (seq: number): number => attempts[seq]!.endedAtMs
    const lostAcks = [...drop].map(ackAt)
    const intact = attempts.filter((a) => a.outcome === 'acked' && !drop.has(a.seq) && a.seq !== 5)
    const before = intact.filter((a) => a.endedAtMs < Math.min(...lostAcks)).sort((a, b) => a.endedAtMs - b.endedAtMs).at(-1)
    expect(report.rpo.lastIntactBeforeLoss).toEqual({ackedAtMs: before!.endedAtMs, key: before!.key})
    expect(report.rpo.intactWithinSpan).toBe(intact.filter((a) => a.endedAtMs >= Math.min(...lostAcks) && a.endedAtMs <= Math.max(...lostAcks)).length)
    expect(report.rpo.intactWithinSpan).toBeGreaterThanOrEqual(13)
    expect(report.rpo.samples).toBe(58) // every acknowledged write: 60 less the two refused
    expect(report.rpo.resolutionMs).toBe(10)
    // The client learns of each ack after the server sent it and before its request's round trip is over,
    // so the client's window differs from the server's by no more than the two writes' latencies.
    const latency = (seq: number): number => attempts[seq]!.endedAtMs - attempts[seq]!.startedAtMs
    const within = (client: number, from: number, to: number): void => {
      expect(client).toBeGreaterThanOrEqual(server(to) - server(from) - latency(from))
      expect(client).toBeLessThanOrEqual(server(to) - server(from) + latency(to))
    }
    const first = [...drop].sort((a, b) => ackAt(a) - ackAt(b))[0]!
    const last = [...drop].sort((a, b) => ackAt(a) - ackAt(b)).at(-1)!
    within(report.rpo.spanMs, first, last)
    within(report.rpo.windowMs, before!.seq, last)
    // 25 intervals of 10 ms nominally; a loaded machine skips ticks, so only a loose floor here (the bounds above are exact).
    expect(report.rpo.spanMs).toBeGreaterThan(100)
  })

  it('an unreadable store makes the check inconclusive instead of reporting losses', async () => {
    const kv = await faultyKv({corrupt: -1, drop: new Set(), refuse: -1, storeButRefuse: -1})
    const good = createHttpLedgerAdapter({read: `GET ${kv.url}/kv/{key}`, write: `PUT ${kv.url}/kv/{key}`})
    const writer = startLedgerWriter({adapter: good, maxWrites: 5, rate: '200/s', runId: 'u'})
    await until(() => writer.issued === 5, 'five writes')
    const attempts = await writer.stop()
    const broken = createHttpLedgerAdapter({read: 'GET http://127.0.0.1:1/kv/{key}', write: 'PUT http://127.0.0.1:1/kv/{key}'})
    const report = await checkLedger(broken, attempts, {retries: 1})
    expect(report.counts.unreadable).toBe(5)
    expect(report.lost.count).toBe(0)
    expect(report.inconclusive).toBe(true)
  })

  it('sandbox, async replication: a failover loses exactly the writes acknowledged after replication paused', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'async'})
    const http = createHttpLedgerAdapter({read: `GET ${box.routerUrl}/kv/{key}`, write: `PUT ${box.routerUrl}/kv/{key}`})
    // A gate in front of the store makes each phase change sharp: no write is in flight while the toxic is
    // added or the client link is disabled, so every write belongs to exactly one phase.
    type Phase = 'replicating' | 'paused' | 'failed-over'
    let phase: Phase = 'replicating'
    const phaseOf = new Map<string, Phase>()
    let gate: Promise<void> = Promise.resolve()
    let inFlight = 0
    const adapter: LedgerAdapter = {
      read: (key, signal) => http.read(key, signal),
      async write(key, value, signal) {
        await gate
        phaseOf.set(key, phase)
        inFlight++
        try {
          await http.write(key, value, signal)
        } finally {
          inFlight--
        }
      },
    }
    const between = async (next: Phase, change: () => Promise<void>): Promise<void> => {
      let open!: () => void
      gate = new Promise((resolve) => (open = resolve))
      await until(() => inFlight === 0, 'the writes in flight to settle')
      await change()
      phase = next
      open()
    }

    const writer = startLedgerWriter({adapter, rate: '100/s', runId: 'sbx', timeoutMs: 1000})
    await sleep(300)
    await between('paused', async () => {
      await until(async () => (await nodeState(box, 'us-east')).lag === 0, 'replication to catch up')
      await addToxic(box, 'repl-us-east-eu-west', {attributes: {timeout: 0}, stream: 'upstream', type: 'timeout'})
    })
    await sleep(300)
    await between('failed-over', () => disable(box, 'client-us-east'))
    await until(async () => (await routerState(box)).active === 'eu-west', 'the router to fail over', 3000)
    await sleep(300)
    const attempts = await writer.stop()

    const report = await checkLedger(adapter, attempts, {resolutionMs: writer.intervalMs})
    const acked = (which: Phase): string[] => attempts.filter((a) => a.outcome === 'acked' && phaseOf.get(a.key) === which).map((a) => a.key)
    expect(acked('replicating').length).toBeGreaterThan(10)
    expect(acked('paused').length).toBeGreaterThan(10)
    expect(acked('failed-over').length).toBeGreaterThan(5)
    expect(report.lost.keys.toSorted()).toEqual(acked('paused').toSorted())
    expect(report.counts['acked-and-present']).toBe(acked('replicating').length + acked('failed-over').length)
    expect(report.counts.corrupted + report.counts.duplicated + report.counts.stale + report.counts.unreadable).toBe(0)
    // On failure, say when each write went out and came back (ms within the minute), its phase and its class.
    const rows = attempts.map((a) => `${a.seq} ${phaseOf.get(a.key)} ${a.outcome} ${(a.startedAtMs % 60_000).toFixed(1)}-${(a.endedAtMs % 60_000).toFixed(1)} ${report.keys[a.seq]!.class}`).join('\n')
    // The gate puts every replicating ack before every paused one; within a phase acks may come back out of order.
    const lastReplicated = attempts.filter((a) => a.outcome === 'acked' && phaseOf.get(a.key) === 'replicating').sort((a, b) => a.endedAtMs - b.endedAtMs).at(-1)!
    expect(report.rpo.lastIntactBeforeLoss?.key, rows).toBe(lastReplicated.key)
    expect(report.rpo.intactWithinSpan).toBe(0)
    expect(report.rpo.spanMs).toBeGreaterThan(100)
  })
})
