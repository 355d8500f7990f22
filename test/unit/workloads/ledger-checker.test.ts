import {describe, expect, it} from 'vitest'

import {classifyLedger, type KeyRead} from '../../../src/workloads/ledger/checker.js'
import {decodePayload, encodePayload} from '../../../src/workloads/ledger/payload.js'
import type {WriteAttempt, WriteOutcome} from '../../../src/workloads/ledger/writer.js'

/** Attempt `seq` of key `run-<seq>` (or `key`), sent at 1000 + 10·seq and answered 5 ms later. */
function attempt(seq: number, outcome: WriteOutcome = 'acked', key = `run-${seq}`): WriteAttempt {
  const startedAtMs = 1000 + seq * 10
  return {endedAtMs: startedAtMs + 5, key, outcome, seq, startedAtMs, value: encodePayload(key, seq, `n${seq}`)}
}

const present = (a: WriteAttempt): KeyRead => ({found: true, value: a.value})
const absent: KeyRead = {found: false}

describe('payload', () => {
  it('round-trips, keys with colons included, and refuses any damaged value', () => {
    const value = encodePayload('a:b-7', 7, 'abc')
    expect(decodePayload(value)).toEqual({key: 'a:b-7', nonce: 'abc', seq: 7})
    expect(decodePayload(value.replace(':7:', ':8:'))).toBeUndefined()
    expect(decodePayload(value.slice(0, -1) + (value.endsWith('0') ? '1' : '0'))).toBeUndefined()
    expect(decodePayload('hello')).toBeUndefined()
  })
})

describe('classifyLedger', () => {
  it('puts each key in its class: present, lost, unacked present and absent, duplicated, corrupted, unreadable', () => {
    const attempts = [attempt(0), attempt(1), attempt(2, 'failed'), attempt(3, 'timeout'), attempt(4), attempt(5), attempt(6), attempt(7)]
    const [a0, a1, a2, a3, a4, a5, a6, a7] = attempts as [WriteAttempt, WriteAttempt, WriteAttempt, WriteAttempt, WriteAttempt, WriteAttempt, WriteAttempt, WriteAttempt]
    const reads = new Map<string, KeyRead>([
      [a0.key, present(a0)],
      [a1.key, absent],
      [a2.key, absent],
      [a3.key, present(a3)],
      [a4.key, present(a0)], // another key's intact value: that write is stored twice
      [a5.key, {found: true, value: `${a5.value.slice(0, -3)}zzz`}], // checksum fails
      [a6.key, {error: 'HTTP 503'}],
      [a7.key, {copies: 2, found: true, value: a7.value}], // the adapter counted two rows
    ])
    const report = classifyLedger(attempts, reads, {resolutionMs: 10})
    expect(report.keys.map((verdict) => [verdict.key, verdict.class])).toEqual([
      ['run-0', 'acked-and-present'],
      ['run-1', 'acked-and-lost'],
      ['run-2', 'unacked-and-absent'],
      ['run-3', 'unacked-but-present'],
      ['run-4', 'duplicated'],
      ['run-5', 'corrupted'],
      ['run-6', 'unreadable'],
      ['run-7', 'duplicated'],
    ])
    expect(report.keys[4]!.observedFrom).toEqual({key: 'run-0', seq: 0})
    expect(report.keys[6]!.readError).toBe('HTTP 503')
    expect(report.counts).toEqual({
      'acked-and-lost': 1,
      'acked-and-present': 1,
      corrupted: 1,
      duplicated: 2,
      stale: 0,
      'unacked-and-absent': 1,
      'unacked-but-present': 1,
      unreadable: 1,
    })
    expect(report.attempts).toEqual({acked: 6, failed: 1, timeout: 1, total: 8})
    expect(report.lost).toEqual({count: 1, keys: ['run-1']})
    // lost + duplicated (run-4, run-7) + corrupted (run-5); the unreadable run-6 is unknown, not counted.
    expect(report.ackedNotIntact).toBe(4)
    expect(report.inconclusive).toBe(true)
    expect(report.rpo.samples).toBe(5)
  })

  it('a value that was never written, even a well-formed one, is corrupted', () => {
    const a = attempt(0)
    const forged = encodePayload(a.key, 0, 'other')
    expect(classifyLedger([a], new Map([[a.key, {found: true, value: forged}]])).keys[0]!.class).toBe('corrupted')
    expect(classifyLedger([a], new Map([[a.key, {found: true, value: 'garbage'}]])).keys[0]!.class).toBe('corrupted')
  })

  it('stale: a rewritten key reads back a write that finished before its last acknowledged write began', () => {
    const first = attempt(0, 'acked', 'k')
    const second = attempt(1, 'acked', 'k') // starts at 1010, after first ended at 1005
    const report = classifyLedger([first, second], new Map([['k', present(first)]]))
    expect(report.keys).toMatchObject([{class: 'stale', expected: second.value, observedFrom: {key: 'k', seq: 0}, seq: 1}])
    expect(classifyLedger([first, second], new Map([['k', present(second)]])).keys[0]!.class).toBe('acked-and-present')
  })

  it('an earlier write that overlapped the last acknowledged one may legally win: not stale', () => {
    const first = {...attempt(0, 'acked', 'k'), endedAtMs: 1050}
    const second = attempt(1, 'acked', 'k') // started at 1010, while first was still in flight
    expect(classifyLedger([first, second], new Map([['k', present(first)]])).keys[0]!.class).toBe('acked-and-present')
    // A later unacknowledged write that landed is legal too.
    const third = attempt(2, 'timeout', 'k')
    expect(classifyLedger([first, second, third], new Map([['k', present(third)]])).keys[0]!).toMatchObject({class: 'acked-and-present', seq: 1})
  })

  it('RPO: the span of the lost acks, and the window back to the last intact ack before them', () => {
    const attempts = Array.from({length: 10}, (_, seq) => attempt(seq))
    const lostSeqs = new Set([4, 5, 6, 8])
    const reads = new Map<string, KeyRead>(attempts.map((a) => [a.key, lostSeqs.has(a.seq) ? absent : present(a)]))
    const report = classifyLedger(attempts, reads, {resolutionMs: 10})
    expect(report.lost).toEqual({count: 4, keys: ['run-4', 'run-5', 'run-6', 'run-8']})
    expect(report.rpo).toEqual({
      firstLostAckMs: 1045,
      intactWithinSpan: 1, // run-7 came back between the lost ones
      lastIntactBeforeLoss: {ackedAtMs: 1035, key: 'run-3'},
      lastLostAckMs: 1085,
      resolutionMs: 10,
      samples: 10,
      spanMs: 40,
      windowMs: 50,
    })
    expect(report.inconclusive).toBe(false)
  })

  it('RPO: with no intact write before the loss, the window starts at the first lost write', () => {
    const attempts = [attempt(0), attempt(1), attempt(2)]
    const report = classifyLedger(attempts, new Map<string, KeyRead>([[attempts[0]!.key, absent], [attempts[1]!.key, absent], [attempts[2]!.key, present(attempts[2]!)]]))
    expect(report.rpo).toMatchObject({lastIntactBeforeLoss: null, resolutionMs: null, spanMs: 10, windowMs: 15})
  })

  it('nothing lost: zero span and window, with the sample count', () => {
    const attempts = [attempt(0), attempt(1, 'failed')]
    const report = classifyLedger(attempts, new Map<string, KeyRead>([[attempts[0]!.key, present(attempts[0]!)], [attempts[1]!.key, absent]]))
    expect(report.lost.count).toBe(0)
    expect(report.rpo).toMatchObject({firstLostAckMs: null, samples: 1, spanMs: 0, windowMs: 0})
    expect(report.ackedNotIntact).toBe(0)
  })

  it('a key with no read at all is unreadable', () => {
    expect(classifyLedger([attempt(0)], new Map()).keys[0]!.class).toBe('unreadable')
  })
})
