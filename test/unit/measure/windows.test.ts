import {describe, expect, it} from 'vitest'

import {latencyFigures, measureWindows, runWindows, windowMeasurements} from '../../../src/measure/windows.js'
import type {Sample} from '../../../src/workloads/timeline.js'

describe('latencyFigures', () => {
  it('gives HDR percentiles within 0.1% and the exact max', () => {
    // 1.000, 1.001 … 10.999 ms: 10,000 distinct latencies, uniformly spread.
    const latencies = Array.from({length: 10_000}, (_, i) => 1 + i / 1000)
    const figures = latencyFigures(latencies)
    expect(figures).not.toBeNull()
    const f = figures!
    expect(f.count).toBe(10_000)
    expect(f.max).toBe(10.999)
    for (const [value, truth] of [
      [f.p50, 5.999],
      [f.p90, 9.999],
      [f.p95, 10.499],
      [f.p99, 10.899],
      [f.p999, 10.989],
    ] as const) {
      expect(Math.abs(value - truth) / truth).toBeLessThanOrEqual(0.001)
    }
  })

  it('handles sub-microsecond and single values, and nothing', () => {
    expect(latencyFigures([0.0001])).toMatchObject({count: 1, max: 0.0001, p50: 0.0001, p999: 0.0001})
    expect(latencyFigures([42])).toMatchObject({count: 1, max: 42, p50: 42, p99: 42})
    expect(latencyFigures([])).toBeNull()
  })
})

describe('runWindows', () => {
  it('makes baseline, one window per fault, and recovery', () => {
    expect(
      runWindows({
        endMs: 10_000,
        faults: [
          {endMs: 7000, name: 'partition', startMs: 5000},
          {endMs: 4000, name: 'region-outage us-east', startMs: 2000},
        ],
      }),
    ).toEqual([
      {endMs: 2000, kind: 'baseline', name: 'baseline', startMs: 0},
      {endMs: 4000, kind: 'fault', name: 'region-outage us-east', startMs: 2000},
      {endMs: 7000, kind: 'fault', name: 'partition', startMs: 5000},
      {endMs: 10_000, kind: 'recovery', name: 'recovery', startMs: 7000},
    ])
  })

  it('is one baseline window when there was no fault', () => {
    expect(runWindows({endMs: 500, faults: [], startMs: 100})).toEqual([{endMs: 500, kind: 'baseline', name: 'baseline', startMs: 100}])
  })
})

describe('measureWindows', () => {
  // Every 10 ms for 3 s: baseline [0, 1000) all ok at 2 ms; fault [1000, 2000) half fail (fast 503s at 0.5 ms,
  // successes at 20 ms); recovery [2000, 3000) all ok at 3 ms.
  const samples: Sample[] = Array.from({length: 300}, (_, i): Sample => {
    const at = i * 10
    if (at < 1000) return {at, latencyMs: 2, ok: true}
    if (at < 2000) return i % 2 === 0 ? {at, error: 'HTTP 503', latencyMs: 0.5, ok: false} : {at, latencyMs: 20, ok: true}
    return {at, latencyMs: 3, ok: true}
  })
  const windows = runWindows({endMs: 3000, faults: [{endMs: 2000, name: 'region-outage', startMs: 1000}]})

  it('gives availability and latency per window with sample counts and resolution', () => {
    const [baseline, fault, recovery] = measureWindows(samples, windows)
    expect(baseline).toMatchObject({availability: 100, latencyOf: 'ok', name: 'baseline', ok: 100, resolutionMs: 10, samples: 100})
    expect(baseline?.latency).toMatchObject({count: 100, max: 2})
    expect(baseline?.latency?.p99).toBeCloseTo(2, 2)
    expect(fault).toMatchObject({availability: 50, kind: 'fault', name: 'region-outage', ok: 50, samples: 100})
    expect(fault?.latency?.count).toBe(50)
    expect(fault?.latency?.p50).toBeCloseTo(20, 1)
    expect(recovery).toMatchObject({availability: 100, samples: 100})
    expect(recovery?.latency?.p50).toBeCloseTo(3, 2)
  })

  it('includes failed samples in latency when asked, and takes the interval it is given', () => {
    const [, fault] = measureWindows(samples, windows, {intervalMs: 25, latencyOf: 'all'})
    expect(fault).toMatchObject({latencyOf: 'all', resolutionMs: 25})
    expect(fault?.latency?.count).toBe(100)
    expect(fault?.latency?.p50).toBeCloseTo(0.5, 3)
    expect(fault?.latency?.max).toBe(20)
  })

  it('reports an empty window as null figures with 0 samples', () => {
    const [empty] = measureWindows(samples, [{endMs: 5000, kind: 'recovery', name: 'late', startMs: 4000}])
    expect(empty).toMatchObject({availability: null, latency: null, ok: 0, samples: 0})
  })

  it('turns a window into journal measurements that carry counts and resolution', () => {
    const [, fault] = measureWindows(samples, windows)
    const measurements = windowMeasurements(fault!)
    expect(measurements.availability).toEqual({resolution: 10, samples: 100, unit: 'percent', value: 50})
    expect(measurements.errorRate).toEqual({resolution: 10, samples: 100, unit: 'percent', value: 50})
    expect(measurements.p99).toMatchObject({samples: 50, unit: 'ms'})
    expect(measurements.p99?.value).toBeCloseTo(20, 1)
    expect(measurements.p99?.resolution).toBeCloseTo(0.02, 3)
    expect(windowMeasurements({...fault!, availability: null, latency: null})).toEqual({})
  })
})
