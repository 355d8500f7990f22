/** The ledger's write latency: acknowledged writes only, send to acknowledgement. */
import {describe, expect, it} from 'vitest'

import {classifyLedger, writeLatency} from '../../../src/workloads/ledger/checker.js'
import type {WriteAttempt} from '../../../src/workloads/ledger/writer.js'

const attempt = (seq: number, ms: number, outcome: WriteAttempt['outcome'] = 'acked'): WriteAttempt => ({
  endedAtMs: 1000 + seq * 10 + ms,
  key: `r-${seq}`,
  outcome,
  seq,
  startedAtMs: 1000 + seq * 10,
  value: `v${seq}`,
})

describe('writeLatency', () => {
  it('summarises acknowledged writes and leaves failures and timeouts out', () => {
    const attempts = [attempt(0, 100), attempt(1, 110), attempt(2, 120), attempt(3, 2000, 'timeout'), attempt(4, 5, 'failed'), attempt(5, 130), attempt(6, 140)]
    expect(writeLatency(attempts)).toEqual({maxMs: 140, meanMs: 120, p50Ms: 120, p90Ms: 136, p99Ms: 139.6, samples: 5})
    expect(classifyLedger(attempts, new Map()).latency.samples).toBe(5)
  })

  it('has no figures without an acknowledged write', () => {
    expect(writeLatency([attempt(0, 5, 'failed')])).toEqual({maxMs: null, meanMs: null, p50Ms: null, p90Ms: null, p99Ms: null, samples: 0})
  })
})
