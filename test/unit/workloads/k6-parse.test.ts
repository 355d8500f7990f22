import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {
  classifyExit,
  K6_EXIT_CODES,
  k6Measurements,
  parseSummaryExport,
  parseThreshold,
  parseTimestampMs,
  percentile,
  readK6Stream,
  thresholdSlos,
  toRunClockMs,
  type K6Summary,
} from '../../../src/workloads/k6/index.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/k6')
const START = Date.parse('2026-08-21T10:00:00Z')
const WINDOWS = [
  {endMs: 5000, name: 'baseline', startMs: 0},
  {endMs: 10_000, name: 'fault', startMs: 5000},
  {endMs: 15_000, name: 'recovery', startMs: 10_000},
]

async function summary(name: string): Promise<K6Summary> {
  const parsed = parseSummaryExport(await readFile(path.join(fixtures, name), 'utf8'))
  if (!parsed.ok) throw new Error(parsed.reason)
  return parsed.summary
}

const stream = () => readK6Stream(path.join(fixtures, 'metrics.ndjson'), {runStartWallMs: START, windows: WINDOWS})

describe('k6 --summary-export', () => {
  it('reads the default model: values, inverted thresholds (true = failed), rate renamed, checks from nested groups', async () => {
    const parsed = await summary('summary-fail.json')
    expect(parsed.model).toBe('default')
    expect(parsed.hasThresholdResults).toBe(true)
    expect(parsed.metrics.http_req_duration).toEqual({
      thresholds: {'p(95)<500': true, 'p(99)<1500': false},
      type: 'trend',
      values: {avg: 170, 'p(90)': 460, 'p(95)': 639.8, max: 999, med: 50, min: 10},
    })
    expect(parsed.metrics.http_req_failed).toEqual({thresholds: {'rate<0.01': true}, type: 'rate', values: {fails: 9, passes: 4, rate: 0.3076923076923077}})
    expect(parsed.metrics.http_reqs!.type).toBe('counter')
    expect(parsed.metrics.vus!.type).toBe('gauge')
    expect(parsed.metrics['http_req_duration{region:us-east}']!.thresholds).toEqual({'p(95)<300': true})
    expect(parsed.checks).toEqual([
      {fails: 4, name: 'status is 200', passes: 9},
      {fails: 4, name: 'write acked', passes: 9},
    ])
  })

  it('reads the machine-readable model, which carries no threshold results', async () => {
    const parsed = await summary('summary-machine.json')
    expect(parsed.model).toBe('machine-readable')
    expect(parsed.hasThresholdResults).toBe(false)
    expect(parsed.metrics.http_req_duration!.values).toMatchObject({'p(90)': 460, 'p(95)': 639.8})
    expect(parsed.metrics.http_req_failed).toMatchObject({type: 'rate', values: {matches: 4, rate: 0.3076923076923077, total: 13}})
    expect(parsed.checks).toEqual([{fails: 0, name: 'status is 200', passes: 13}])
  })

  it('says what is wrong with a file that is not a summary', () => {
    expect(parseSummaryExport('{"metrics": ')).toMatchObject({ok: false, reason: expect.stringContaining('not JSON')})
    expect(parseSummaryExport('[]')).toMatchObject({ok: false, reason: 'expected a JSON object'})
    expect(parseSummaryExport('{"root_group": {}}')).toMatchObject({ok: false, reason: expect.stringContaining('no "metrics" object')})
  })
})

describe('k6 --out json stream', () => {
  it('computes http_req_duration percentiles and http_req_failed rate per window on the run clock', async () => {
    const result = await stream()
    const [baseline, fault, recovery] = result.windows
    // Baseline includes a point at 4.999999999 s (nanosecond timestamp), not the one at exactly 5 s.
    expect(baseline).toEqual({
      ...WINDOWS[0],
      duration: {count: 5, max: 50, p50: 30, p90: 46, p95: 48, p99: expect.closeTo(49.6, 9) as number, p999: expect.closeTo(49.96, 9) as number},
      failed: {failures: 0, rate: 0, samples: 5},
    })
    expect(fault).toEqual({
      ...WINDOWS[1],
      duration: {count: 5, max: 500, p50: 300, p90: 460, p95: 480, p99: expect.closeTo(496, 9) as number, p999: expect.closeTo(499.6, 9) as number},
      failed: {failures: 3, rate: 0.6, samples: 5},
    })
    // Recovery includes a point written with a +02:00 offset; the point at exactly 15 s is past its end.
    expect(recovery).toEqual({
      ...WINDOWS[2],
      duration: {count: 2, max: 25, p50: 20, p90: 24, p95: 24.5, p99: expect.closeTo(24.9, 9) as number, p999: expect.closeTo(24.99, 9) as number},
      failed: {failures: 0, rate: 0, samples: 2},
    })
    expect(result.overall.duration.count).toBe(13)
    expect(result.overall.failed).toEqual({failures: 4, rate: 4 / 13, samples: 13})
  })

  it('counts points per metric and sub-metric, records declared thresholds, and skips a truncated last line', async () => {
    const result = await stream()
    expect(result.malformedLines).toBe(1)
    expect(result.firstPointMs).toBe(1000)
    expect(result.lastPointMs).toBe(15_000)
    expect(result.metrics.http_req_duration).toEqual({
      points: 13,
      submetrics: {'http_req_duration{region:us-east}': {points: 8, tags: {region: 'us-east'}}},
      thresholds: ['p(95)<500', 'p(99)<1500'],
      type: 'trend',
    })
    expect(result.metrics.http_reqs!.points).toBe(13)
  })

  it('turns window figures into journal measurements, leaving out windows without samples', async () => {
    const result = await readK6Stream(path.join(fixtures, 'metrics.ndjson'), {runStartWallMs: START, windows: [...WINDOWS, {endMs: 60_000, name: 'later', startMs: 30_000}]})
    const measurements = k6Measurements(result)
    expect(measurements['k6.fault.p95']).toEqual({resolution: 0.001, samples: 5, unit: 'ms', value: 480})
    expect(measurements['k6.fault.errorRate']).toEqual({resolution: 20, samples: 5, unit: 'percent', value: 60})
    expect(measurements['k6.fault.availability']).toEqual({resolution: 20, samples: 5, unit: 'percent', value: 40})
    expect(measurements['k6.baseline.availability']).toMatchObject({samples: 5, value: 100})
    expect(measurements['k6.p50']).toMatchObject({samples: 13, value: 50})
    expect(Object.keys(measurements).filter((key) => key.startsWith('k6.later'))).toEqual([])
  })

  it('gives null figures for an empty window', async () => {
    const result = await readK6Stream(path.join(fixtures, 'metrics.ndjson'), {runStartWallMs: START, windows: [{endMs: 60_000, name: 'later', startMs: 30_000}]})
    expect(result.windows[0]).toMatchObject({duration: {count: 0, p50: null, p99: null}, failed: {rate: null, samples: 0}})
  })

  it('interpolates percentiles as k6 does, and parses RFC3339 with nanoseconds and offsets', () => {
    expect(percentile([], 50)).toBeNull()
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5)
    expect(toRunClockMs('2026-08-21T10:00:01.123456789Z', START)).toBeCloseTo(1123.456789, 9)
    expect(toRunClockMs('2026-08-21T10:00:04.999999999Z', START)).toBeLessThan(5000)
    expect(parseTimestampMs('2026-08-21T10:00:01.5Z')).toBe(START + 1500)
    expect(parseTimestampMs('2026-08-21T12:00:00+02:00')).toBe(START)
    expect(parseTimestampMs('yesterday')).toBeNull()
  })
})

describe('k6 thresholds as SLO results', () => {
  const ok = {exitCode: 0, kind: 'ok' as const, message: 'k6 exited 0'}
  const failed = {exitCode: 99, kind: 'thresholds-failed' as const, message: 'k6 exited 99'}

  it('parses k6 threshold expressions', () => {
    expect(parseThreshold('p(95) < 500')).toEqual({aggregation: 'p(95)', op: '<', value: 500})
    expect(parseThreshold('rate<0.01')).toEqual({aggregation: 'rate', op: '<', value: 0.01})
    expect(parseThreshold('count===3')).toEqual({aggregation: 'count', op: '===', value: 3})
    expect(parseThreshold('p95 < 500')).toBeNull()
  })

  it('maps failed thresholds (exit 99) to failing SLOs with observed values and sample counts', async () => {
    const slos = thresholdSlos({outcome: failed, stream: await stream(), summary: await summary('summary-fail.json')})
    const byName = Object.fromEntries(slos.map((slo) => [slo.name, slo]))
    expect(byName['k6 http_req_duration p(95)<500']).toMatchObject({objective: 'p(95)<500', observed: 639.8, samples: 13, status: 'fail'})
    // p(99) is not in the exported summary (summaryTrendStats); the stream supplies the whole-run value.
    expect(byName['k6 http_req_duration p(99)<1500']).toMatchObject({observed: expect.closeTo(939.12, 6) as number, samples: 13, status: 'pass'})
    expect(byName['k6 http_req_duration{region:us-east} p(95)<300']).toMatchObject({observed: 661.05, samples: 8, status: 'fail'})
    expect(byName['k6 http_req_failed rate<0.01']).toMatchObject({observed: 0.3076923076923077, resolution: 1 / 13, samples: 13, status: 'fail'})
    expect(slos).toHaveLength(4)
    for (const slo of slos) expect(Object.keys(slo).sort()).toEqual(['detail', 'name', 'objective', 'observed', 'resolution', 'samples', 'status'])
  })

  it('passes held thresholds only when samples show it, else inconclusive', async () => {
    const slos = thresholdSlos({outcome: ok, stream: await stream(), summary: await summary('summary-pass.json')})
    const byName = Object.fromEntries(slos.map((slo) => [slo.name, slo]))
    expect(byName['k6 http_req_duration p(99)<1500']).toMatchObject({observed: 927.24, samples: 13, status: 'pass'})
    expect(byName['k6 http_req_failed rate<0.01']).toMatchObject({observed: 0, samples: 13, status: 'pass'})
    expect(byName['k6 http_reqs count>10']).toMatchObject({observed: 13, samples: 13, status: 'pass'})
    // checks has no points in the stream, but a rate's passes + fails count its samples.
    expect(byName['k6 checks rate>0.99']).toMatchObject({observed: 1, samples: 13, status: 'pass'})
    // data_received "passed" on nothing: never a pass.
    expect(byName['k6 data_received count<1000']).toMatchObject({samples: 0, status: 'inconclusive'})
    // Without the stream, a trend's sample count is unknown.
    const blind = thresholdSlos({outcome: ok, summary: await summary('summary-pass.json')})
    expect(blind.find((slo) => slo.name === 'k6 http_req_duration p(99)<1500')).toMatchObject({status: 'inconclusive'})
    expect(blind.find((slo) => slo.name === 'k6 http_req_failed rate<0.01')).toMatchObject({samples: 13, status: 'pass'})
  })

  it('never calls a threshold passed on a run that did not finish', async () => {
    const aborted = {exitCode: 105, kind: 'aborted' as const, message: 'k6 exited 105 (ExternalAbort)'}
    const slos = thresholdSlos({outcome: aborted, stream: await stream(), summary: await summary('summary-fail.json')})
    expect(slos.filter((slo) => slo.status === 'pass')).toEqual([])
    expect(slos.find((slo) => slo.name === 'k6 http_req_duration p(99)<1500')).toMatchObject({status: 'inconclusive'})
    expect(slos.find((slo) => slo.name === 'k6 http_req_duration p(95)<500')).toMatchObject({status: 'fail'})
  })

  it('still fails on exit 99 when the summary is missing or cannot say which threshold failed', async () => {
    expect(thresholdSlos({outcome: failed, summary: null})).toEqual([
      expect.objectContaining({name: 'k6 thresholds', status: 'fail', detail: expect.stringContaining('wrote no summary')}),
    ])
    expect(thresholdSlos({outcome: failed, summary: await summary('summary-machine.json')})).toEqual([
      expect.objectContaining({name: 'k6 thresholds', status: 'fail'}),
    ])
    expect(thresholdSlos({outcome: ok, summary: null})).toEqual([expect.objectContaining({name: 'k6 thresholds', status: 'inconclusive'})])
  })
})

describe('k6 exit codes', () => {
  it('classifies every documented code', () => {
    expect(Object.keys(K6_EXIT_CODES).map(Number)).toEqual([0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110])
    const kind = (code: number) => classifyExit(code, null).kind
    expect(kind(0)).toBe('ok')
    expect(kind(99)).toBe('thresholds-failed')
    expect(kind(104)).toBe('usage-error')
    expect(kind(107)).toBe('script-error')
    expect([103, 108, 110].map(kind)).toEqual(['stopped', 'stopped', 'stopped'])
    expect([97, 98, 100, 101, 102, 106, 109, 1, 255].map(kind)).toEqual(Array(9).fill('tool-error'))
    expect(classifyExit(105, null, true)).toMatchObject({kind: 'aborted', message: 'k6 exited 105 (ExternalAbort): aborted by a signal (SIGINT/SIGTERM)'})
    expect(classifyExit(105, null).message).toContain('not sent by rift')
    expect(classifyExit(null, 'SIGSEGV')).toMatchObject({kind: 'tool-error', message: 'k6 was killed by SIGSEGV'})
    expect(classifyExit(null, 'SIGKILL', true).kind).toBe('aborted')
    expect(classifyExit(42, null).message).toBe('k6 exited 42, which k6 does not document')
  })
})
