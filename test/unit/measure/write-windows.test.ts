import {describe, expect, it} from 'vitest'

import {measureWriteWindows} from '../../../src/measure/write-windows.js'
import type {WriteAttempt} from '../../../src/workloads/ledger/writer.js'

const ZERO = 1_700_000_000_000
const write = (seq: number, atMs: number, tookMs: number, outcome: WriteAttempt['outcome'] = 'acked'): WriteAttempt => ({
  endedAtMs: ZERO + atMs + tookMs,
  key: `k-${seq}`,
  outcome,
  seq,
  startedAtMs: ZERO + atMs,
  value: 'v',
})

describe('measureWriteWindows', () => {
  it('puts each write in the window it was sent in, and times only the acknowledged ones', () => {
    const attempts = [write(0, 10, 2), write(1, 990, 4), write(2, 1000, 100), write(3, 1500, 2000, 'timeout'), write(4, 2500, 3)]
    const windows = measureWriteWindows(attempts, [
      {endMs: 1000, kind: 'baseline', name: 'baseline', startMs: 0},
      {endMs: 2000, kind: 'fault', name: 'f1', startMs: 1000},
      {endMs: 3000, kind: 'recovery', name: 'recovery', startMs: 2000},
    ], ZERO)
    expect(windows.map(({acked, failed, name, writes}) => ({acked, failed, name, writes}))).toEqual([
      {acked: 2, failed: 0, name: 'baseline', writes: 2},
      {acked: 1, failed: 1, name: 'f1', writes: 2},
      {acked: 1, failed: 0, name: 'recovery', writes: 1},
    ])
    expect(windows[0]!.latency).toMatchObject({count: 2, max: 4})
    expect(windows[1]!.latency).toMatchObject({count: 1, p50: 100})
  })

  it('has no latency figures for a window without an acknowledged write', () => {
    const [window] = measureWriteWindows([write(0, 5, 9, 'failed')], [{endMs: 10, kind: 'baseline', name: 'baseline', startMs: 0}], ZERO)
    expect(window).toMatchObject({acked: 0, failed: 1, latency: null, writes: 1})
  })
})
