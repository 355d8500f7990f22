/** The comparison's pure parts: choosing patterns, one row from a journal, the Markdown and HTML tables. */
import {describe, expect, it} from 'vitest'

import type {Journal} from '../../../src/engine/journal.js'
import {comparisonExperiment, readKey} from '../../../src/sandbox/compare/experiment.js'
import {renderHtml} from '../../../src/sandbox/compare/html.js'
import {comparisonRow, renderMarkdown, renderText, type Comparison} from '../../../src/sandbox/compare/table.js'
import {selectVariants, VARIANTS} from '../../../src/sandbox/compare/variants.js'
import {homeRegion} from '../../../src/sandbox/home.js'

const latency = (p50: number, p99: number, count: number) => ({count, max: p99, p50, p90: p99, p95: p99, p99, p999: p99})

const journal = {
  measurements: {
    dataLoss: {resolution: 1, samples: 390, unit: 'count', value: 3},
    failoverTime: {resolution: 20, samples: 300, unit: 'ms', value: 206.4},
    p50: {resolution: 0.001, samples: 400, unit: 'ms', value: 9},
    p99: {resolution: 0.1, samples: 400, unit: 'ms', value: 99},
  },
  paths: {dir: '/runs/r1', journal: '/runs/r1/journal.json', ledger: '/runs/r1/ledger.jsonl'},
  runId: 'r1',
  verdict: 'passed',
  workloads: {
    ledger: {attempts: {acked: 390, failed: 11, timeout: 1, total: 402}, counts: {unreadable: 0}, windows: [{kind: 'baseline', latency: latency(2.5, 20, 100)}, {kind: 'fault', latency: latency(3, 30, 150)}], writeLatency: latency(5, 50, 390)},
    windows: [{availability: 100, kind: 'baseline', latency: latency(1.5, 12, 100)}, {availability: 95.1, kind: 'fault', latency: latency(2, 40, 190)}],
  },
} as unknown as Journal

describe('selectVariants', () => {
  it('keeps the table order whatever the order asked, and names every unknown pattern', () => {
    expect(selectVariants('sharded,active-passive-async').map((variant) => variant.id)).toEqual(['active-passive-async', 'sharded'])
    expect(selectVariants(undefined)).toEqual(VARIANTS)
    expect(() => selectVariants('active-passive,mesh')).toThrow(/unknown pattern\(s\) active-passive, mesh/)
  })
})

describe('comparisonRow', () => {
  it('takes every figure from the journal: failover, loss, and the baseline window for latencies', () => {
    expect(comparisonRow(VARIANTS[0]!, journal)).toEqual({
      ackedWrites: 390,
      failedWrites: 12,
      failoverMs: 206.4,
      failoverResolutionMs: 20,
      journal: '/runs/r1/journal.json',
      label: 'active-passive, async replication',
      lostWrites: 3,
      readAvailabilityDuringOutage: 95.1,
      readLatency: {count: 100, p50: 1.5, p99: 12},
      runId: 'r1',
      unreadableKeys: 0,
      variant: 'active-passive-async',
      verdict: 'passed',
      writeLatency: {count: 100, p50: 2.5, p99: 20},
    })
  })

  it('says n/a, never 0, for what a run did not measure', () => {
    const bare = {...journal, measurements: {}, workloads: null} as unknown as Journal
    const comparison: Comparison = {dir: '/c', id: 'c1', interRegionLatencyMs: 50, notRun: [], outageMs: 4000, readKey: 'k', rows: [comparisonRow(VARIANTS[3]!, bare)], startedAt: 'now', writesPerSecond: 100}
    expect(renderText(comparison).split('\n').at(-1)).toMatch(/^sharded +n\/a +n\/a +n\/a +n\/a +n\/a +n\/a +passed$/)
  })
})

describe('rendering', () => {
  const comparison: Comparison = {dir: '/c', id: 'c1', interRegionLatencyMs: 50, notRun: ['sharded'], outageMs: 4000, readKey: 'k', rows: [comparisonRow(VARIANTS[0]!, journal)], startedAt: '2026-11-26T12:00:00Z', writesPerSecond: 100}

  it('Markdown: the setting, one row per run, what each column measures, and what did not run', () => {
    const markdown = renderMarkdown(comparison)
    expect(markdown).toContain('| active-passive, async replication | 206 ms (±20 ms) | 3 of 390 | 12 | 2.5 ms / 20 ms | 1.5 ms / 12 ms | 95.1% | passed |')
    expect(markdown).toContain('50 ms one-way between regions')
    expect(markdown).toContain('Not run (the comparison was interrupted): sharded.')
    expect(markdown).toContain('- **lost writes**: acknowledged writes missing')
  })

  it('HTML: self-contained, escaped, the same cells', () => {
    const html = renderHtml({...comparison, id: '<c1>'})
    expect(html).toContain('<td>3 of 390</td>')
    expect(html).toContain('&lt;c1&gt;')
    expect(html).not.toMatch(/<script|<link|src=|url\(/)
  })
})

describe('the experiment', () => {
  it('reads a key homed in the failed region, and differs between patterns only in sandbox:', () => {
    expect(homeRegion(readKey(), ['us-east', 'eu-west'])).toBe('us-east')
    const [a, b] = [VARIANTS[0]!, VARIANTS[1]!].map((variant) => comparisonExperiment(variant, {key: readKey(), outageMs: 1500, writesPerSecond: 100}))
    const differing = a!.split('\n').filter((line, index) => line !== b!.split('\n')[index])
    expect(differing.every((line) => /^(# Generated|title| {2}replication| {2}- active-passive)/.test(line))).toBe(true)
    expect(a).toContain('duration: 1.5s')
    expect(a).toContain(`target: "{{router}}/kv/${readKey()}"`)
  })
})
