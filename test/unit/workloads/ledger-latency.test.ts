/** The ledger's write latency: acknowledged writes only, send to acknowledgement. */
import {describe, expect, it} from 'vitest'

import {classifyLedger} from '../../../src/workloads/ledger/checker.js'
import type {WriteAttempt} from '../../../src/workloads/ledger/writer.js'

const attempt = (seq: number, ms: number, outcome: WriteAttempt['outcome'] = 'acked'): WriteAttempt => ({
  endedAtMs: 1000 + seq * 10 + ms,
  key: `r-${seq}`,
  outcome,
  seq,
  startedAtMs: 1000 + seq * 10,
  value: `v${seq}`,
})

describe('the ledger report\'s writeLatency', () => {
  it('summarises acknowledged writes and leaves failures and timeouts out', () => {
    const attempts = [attempt(0, 100), attempt(1, 110), attempt(2, 120), attempt(3, 2000, 'timeout'), attempt(4, 5, 'failed'), attempt(5, 130), attempt(6, 140)]
    const latency = classifyLedger(attempts, new Map()).writeLatency!
    expect(latency.count).toBe(5)
    expect(latency.max).toBe(140)
    // HDR percentiles: exact to 0.1% of the value.
    expect(latency.p50).toBeCloseTo(120, 0)
    expect(latency.p99).toBeCloseTo(140, 0)
  })

  it('has no figures without an acknowledged write', () => {
    expect(classifyLedger([attempt(0, 5, 'failed')], new Map()).writeLatency).toBeNull()
  })
})
