import {describe, expect, it} from 'vitest'

import {failoverMeasurement, measureFailover} from '../../../src/measure/failover.js'
import type {Sample} from '../../../src/workloads/timeline.js'

/** A timeline at a 10 ms interval from t=0: one character per sample, `.` ok and `x` failed. */
function timeline(pattern: string, intervalMs = 10): Sample[] {
  return [...pattern].map((c, i) => (c === 'x' ? {at: i * intervalMs, error: 'HTTP 503', latencyMs: 1, ok: false} : {at: i * intervalMs, latencyMs: 1, ok: true}))
}

describe('measureFailover', () => {
  it('measures fault start → first failure → last failure → sustained recovery', () => {
    // Samples every 10 ms from t=0; failures sent at 50…120.
    const result = measureFailover(timeline('.....xxxxxxxx.....'), {faultStartMs: 45})
    expect(result).toMatchObject({
      failures: 8,
      firstFailureMs: 50,
      inconclusive: null,
      lastFailureMs: 120,
      recoveredMs: 130,
      resolutionMs: 10,
      rtoMs: 85,
      samples: 13, // sent at 50…170
      sustain: 3,
      uncertaintyMs: 10,
    })
    expect(result.phases).toEqual([
      {atMs: 45, name: 'fault-start'},
      {atMs: 50, name: 'first-failure'},
      {atMs: 120, name: 'last-failure'},
      {atMs: 130, name: 'recovered'},
    ])
    expect(failoverMeasurement(result)).toEqual({resolution: 10, samples: 13, unit: 'ms', value: 85})
  })

  it('gives an RTO of 0 with a note when clients saw no failure', () => {
    const result = measureFailover(timeline('..........'), {faultStartMs: 20})
    expect(result.rtoMs).toBe(0)
    expect(result.firstFailureMs).toBeNull()
    expect(result.inconclusive).toBeNull()
    expect(result.note).toMatch(/no failures in 8 samples/)
    expect(result.phases).toEqual([{atMs: 20, name: 'fault-start'}])
  })

  it('counts a flapping failover until the last failure, not the first lucky success', () => {
    const result = measureFailover(timeline('..xxx.xx..x.....'), {faultStartMs: 20})
    expect(result.firstFailureMs).toBe(20)
    expect(result.lastFailureMs).toBe(100)
    expect(result.recoveredMs).toBe(110)
    expect(result.rtoMs).toBe(90)
  })

  it('gives the observed gap around recovery as the uncertainty, wider when probes were skipped', () => {
    const samples = timeline('..xxxx......').filter((s) => s.at !== 60 && s.at !== 70)
    const result = measureFailover(samples, {faultStartMs: 0, intervalMs: 10})
    expect(result).toMatchObject({lastFailureMs: 50, recoveredMs: 80, resolutionMs: 10, rtoMs: 80, uncertaintyMs: 30})
    expect(measureFailover(timeline('....'), {faultStartMs: 0}).uncertaintyMs).toBeNull()
  })

  it('needs `sustain` consecutive successes after the last failure', () => {
    const samples = timeline('.xxx..x....')
    expect(measureFailover(samples, {faultStartMs: 0, sustain: 1}).recoveredMs).toBe(70)
    expect(measureFailover(samples, {faultStartMs: 0, sustain: 4}).recoveredMs).toBe(70)
    const tooShort = measureFailover(samples, {faultStartMs: 0, sustain: 5})
    expect(tooShort.rtoMs).toBeNull()
    expect(tooShort.recoveredMs).toBeNull()
    expect(tooShort.inconclusive).toMatch(/only 4 success\(es\) after the last failure at 60ms; 5 in a row are needed/)
    expect(failoverMeasurement(tooShort)).toBeNull()
  })

  it('is inconclusive, never a pass, when the target never recovered', () => {
    const result = measureFailover(timeline('...xxxxxx'), {faultStartMs: 25})
    expect(result).toMatchObject({firstFailureMs: 30, lastFailureMs: 80, recoveredMs: null, rtoMs: null})
    expect(result.inconclusive).toMatch(/never recovered: the last sample \(at 80ms\) failed/)
    expect(result.phases.map((p) => p.name)).toEqual(['fault-start', 'first-failure', 'last-failure'])
  })

  it('is inconclusive with no samples, or too few to judge, after the fault start', () => {
    expect(measureFailover(timeline('....'), {faultStartMs: 100}).inconclusive).toMatch(/no probe samples/)
    expect(measureFailover([], {faultStartMs: 0})).toMatchObject({rtoMs: null, resolutionMs: null, samples: 0})
    const few = measureFailover(timeline('.....'), {faultStartMs: 25})
    expect(few.rtoMs).toBeNull()
    expect(few.inconclusive).toMatch(/only 2 sample\(s\)/)
  })

  it('ignores failures before the fault start and from `untilMs` on', () => {
    const samples = timeline('xx......xx....xx....')
    const result = measureFailover(samples, {faultStartMs: 30, untilMs: 130})
    expect(result).toMatchObject({firstFailureMs: 80, lastFailureMs: 90, recoveredMs: 100, rtoMs: 70, samples: 10})
  })

  it('sorts an out-of-order timeline and takes the interval it is given', () => {
    const samples = timeline('..xx....').reverse()
    const result = measureFailover(samples, {faultStartMs: 0, intervalMs: 50})
    expect(result).toMatchObject({recoveredMs: 40, resolutionMs: 50, rtoMs: 40})
  })

  it('refuses a sustain that is not a positive whole number', () => {
    expect(() => measureFailover([], {faultStartMs: 0, sustain: 0})).toThrow(RangeError)
    expect(() => measureFailover([], {faultStartMs: 0, sustain: 1.5})).toThrow(RangeError)
  })
})
