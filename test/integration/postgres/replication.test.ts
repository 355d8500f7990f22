/**
 * PostgreSQL streaming replication across two simulated regions, through rift's fault proxy: a primary in
 * us-east, a hot standby in eu-west, 50 ms each way on the replication link, then a us-east outage and an
 * operator's failover (experiments/postgres/). Each test sets up its own clusters on free loopback ports in
 * a temporary folder and tears them down, whatever happens.
 *
 * The truth is independent of rift's checker: the writes the store acknowledged are recorded where the
 * adapter's promise resolves (the same moment the writer counts an acknowledgement), and the rows are read
 * straight from the promoted standby's own port. rift's lost-write count must equal acknowledged-and-absent,
 * key for key.
 */
import {afterAll, beforeAll, describe, expect, test, vi} from 'vitest'

import type {Journal} from '../../../src/engine/journal.js'
import {findPgBin} from '../../../src/postgres/binaries.js'
import {assertBuilt, keysOn, nearestRank, runThroughEngine, startRig, type Rig} from './harness.js'

/** Every acknowledged write the SQL adapter returned to the writer: key → send-to-ack ms. */
const acked = vi.hoisted(() => new Map<string, number>())

vi.mock('../../../src/workloads/ledger/sql-adapter.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/workloads/ledger/sql-adapter.js')>()
  return {
    ...original,
    createSqlLedgerAdapter: (options: Parameters<typeof original.createSqlLedgerAdapter>[0]) => {
      const inner = original.createSqlLedgerAdapter(options)
      return {
        ...inner,
        async write(key: string, value: string, signal: AbortSignal) {
          const started = performance.now()
          await inner.write(key, value, signal)
          // The writer counts a write acknowledged only if it resolved before its timeout aborted it.
          if (!signal.aborted) acked.set(key, performance.now() - started)
        },
      }
    },
  }
})

const PG_BIN = findPgBin()
/** The round trip the experiments put on the replication link: 50 ms each way. */
const INJECTED_RTT_MS = 100

interface Outcome {
  journal: Journal
  ackedKeys: string[]
  lostTruth: string[]
  lostOnOldPrimary: number
  testP50Ms: number
}

const outcomes: Record<string, Outcome> = {}
/** Rigs still up: a test that timed out leaves its run going, and afterAll must still tear the rig down. */
const open = new Set<Rig>()

async function runCase(name: string, mode: 'async' | 'sync'): Promise<Outcome> {
  acked.clear()
  const rig = await startRig(name, mode)
  open.add(rig)
  try {
    const journal = await runThroughEngine(rig)
    const cluster = rig.cluster!
    const onPromoted = await keysOn(cluster.standby)
    const onOldPrimary = await keysOn(cluster.primary)
    const runKeys = [...acked.keys()].filter((key) => key.startsWith(`${journal.runId}-`))
    const lostTruth = runKeys.filter((key) => !onPromoted.has(key))
    return {
      ackedKeys: runKeys,
      journal,
      lostOnOldPrimary: lostTruth.filter((key) => onOldPrimary.has(key)).length,
      lostTruth,
      testP50Ms: nearestRank([...acked.values()], 50),
    }
  } finally {
    open.delete(rig)
    await rig.close()
  }
}

function ledgerOf(journal: Journal) {
  const ledger = journal.workloads?.ledger
  if (!ledger) throw new Error(`no ledger results in the journal; warnings: ${journal.warnings.join('; ')}; reason: ${journal.reason}`)
  return ledger
}

const byKeyNumber = (a: string, b: string): number => Number(a.split('-').at(-1)) - Number(b.split('-').at(-1))

describe.skipIf(PG_BIN === undefined)('PostgreSQL across regions: async against sync, measured', () => {
  beforeAll(() => assertBuilt())

  afterAll(async () => {
    await Promise.allSettled([...open].map((rig) => rig.close()))
    const rows = Object.entries(outcomes).map(([mode, outcome]) => {
      const ledger = outcome.journal.workloads?.ledger
      return {
        mode,
        verdict: outcome.journal.verdict,
        'acked writes': ledger?.attempts.acked ?? null,
        'lost (rift)': outcome.journal.measurements.dataLoss?.value ?? null,
        'lost (truth)': outcome.lostTruth.length,
        'RPO window ms': Math.round(outcome.journal.measurements.rpo?.value ?? Number.NaN),
        'write p50 ms': Number(ledger?.writeLatency?.p50.toFixed(1)),
        'write p90 ms': Number(ledger?.writeLatency?.p90.toFixed(1)),
        'write p99 ms': Number(ledger?.writeLatency?.p99.toFixed(1)),
      }
    })
    if (rows.length === 0) return
    // A Markdown table: readable in a CI log, and pasted as it is into docs/postgres.md.
    const columns = Object.keys(rows[0]!)
    const line = (cells: unknown[]): string => `| ${cells.map(String).join(' | ')} |`
    console.log(
      [`PostgreSQL region outage, replication RTT ${INJECTED_RTT_MS} ms injected:`, '', line(columns), line(columns.map(() => '---')), ...rows.map((row) => line(Object.values(row)))].join('\n'),
    )
  }, 120_000)

  test('async: the acknowledged writes still in flight to eu-west are lost, and rift counts exactly those', {timeout: 240_000}, async () => {
    const outcome = await runCase('async-region-outage.yaml', 'async')
    outcomes.async = outcome
    const {journal} = outcome
    const ledger = ledgerOf(journal)
    expect(journal.faults.map((fault) => [fault.kind, fault.landed, fault.revert])).toEqual([
      ['latency', true, 'reverted'],
      ['region-outage', true, 'reverted'],
    ])
    expect(journal.probes.every((probe) => probe.ok), JSON.stringify(journal.probes)).toBe(true)
    expect(ledger.inconclusive).toBe(false)
    expect(ledger.attempts.acked).toBe(outcome.ackedKeys.length)
    // Asynchronous replication did lose acknowledged writes ...
    expect(outcome.lostTruth.length).toBeGreaterThan(0)
    // ... which the old primary had committed: lost in replication, not by the client.
    expect(outcome.lostOnOldPrimary).toBe(outcome.lostTruth.length)
    // rift's figure is the truth, exactly, key for key.
    expect(journal.measurements.dataLoss?.value).toBe(outcome.lostTruth.length)
    expect([...ledger.lost.keys].sort(byKeyNumber)).toEqual([...outcome.lostTruth].sort(byKeyNumber))
    expect(journal.measurements.rpo?.value).toBeGreaterThan(0)
    // Writes kept going on the promoted standby after the failover.
    expect(ledger.counts['acked-and-present']).toBeGreaterThan(100)
    expect(journal.verdict).toBe('passed')
  })

  test('sync (remote_apply): no acknowledged write is lost, and each commit pays about the cross-region round trip', {timeout: 240_000}, async () => {
    const outcome = await runCase('sync-region-outage.yaml', 'sync')
    outcomes.sync = outcome
    const {journal} = outcome
    const ledger = ledgerOf(journal)
    expect(journal.faults.map((fault) => [fault.kind, fault.landed, fault.revert])).toEqual([
      ['latency', true, 'reverted'],
      ['region-outage', true, 'reverted'],
    ])
    expect(journal.probes.every((probe) => probe.ok), JSON.stringify(journal.probes)).toBe(true)
    expect(ledger.inconclusive).toBe(false)
    expect(ledger.attempts.acked).toBe(outcome.ackedKeys.length)
    expect(ledger.attempts.acked).toBeGreaterThan(100)
    expect(outcome.lostTruth).toEqual([])
    expect(journal.measurements.dataLoss?.value).toBe(0)
    expect(journal.verdict).toBe('passed')
    // remote_apply: a commit returns after WAL went to eu-west and its reply came back.
    expect(ledger.writeLatency!.p50).toBeGreaterThanOrEqual(0.5 * INJECTED_RTT_MS)
    expect(outcome.testP50Ms).toBeGreaterThanOrEqual(0.5 * INJECTED_RTT_MS)
    const async = outcomes.async
    if (async) {
      const asyncP50 = ledgerOf(async.journal).writeLatency!.p50
      expect(ledger.writeLatency!.p50 - asyncP50).toBeGreaterThanOrEqual(0.5 * INJECTED_RTT_MS)
    }
  })
})

if (PG_BIN === undefined) {
  console.warn('skipping the PostgreSQL experiments: initdb, pg_ctl, pg_basebackup and postgres were not found (apt-get install postgresql, or set RIFT_PG_BIN)')
}
