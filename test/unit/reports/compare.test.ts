/**
 * `rift report --compare`'s table, from real journals: the async and sync PostgreSQL region outages
 * (experiments/postgres/, run by hand against real clusters) and the sandbox's active-passive outage, plus
 * copies edited into the cases no real run here produced (an unreadable ledger, no workload, a failed SLO).
 */
import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import type {Journal} from '../../../src/engine/journal.js'
import {compareJournals, type ComparedRow, type Comparison} from '../../../src/reports/compare.js'
import {renderCompareHtml} from '../../../src/reports/compare-html.js'
import {renderCompareMarkdown} from '../../../src/reports/compare-markdown.js'
import {renderComparison} from '../../../src/reports/compare-render.js'
import {HOSTILE, realJournal} from './fixture.js'

function fixture(name: string): Journal {
  return JSON.parse(readFileSync(new URL(`../../fixtures/journals/${name}.json`, import.meta.url), 'utf8')) as Journal
}

const asyncRun = (): Journal => fixture('postgres-async-region-outage')
const syncRun = (): Journal => fixture('postgres-sync-region-outage')

function row(comparison: Comparison, key: string): ComparedRow {
  const found = comparison.rows.find((each) => each.key === key)
  expect(found, `row ${key}`).toBeDefined()
  return found!
}

const texts = (comparison: Comparison, key: string): string[] => row(comparison, key).cells.map((cell) => cell.text)
const notes = (comparison: Comparison, key: string): (string | null)[] => row(comparison, key).cells.map((cell) => cell.note)

describe('the comparison table', () => {
  it('sets the async and sync runs side by side with the figures of their journals', () => {
    const [a, s] = [asyncRun(), syncRun()]
    const comparison = compareJournals([a, s])
    expect(comparison.runs.map((run) => [run.runId, run.verdict, run.file])).toEqual([
      [a.runId, 'passed', 'experiments/postgres/async-region-outage.yaml'],
      [s.runId, 'passed', 'experiments/postgres/sync-region-outage.yaml'],
    ])
    expect(comparison.rows.map((each) => each.key)).toEqual(['experiment', 'verdict', 'failoverTime', 'dataLoss', 'rpo', 'ackedWrites', 'writeLatency.p50', 'writeLatency.p99', 'availability', 'errorRate', 'p50', 'p99', 'slo:rpo', 'slo:dataLoss'])
    expect(texts(comparison, 'experiment')).toEqual([a.experiment.title, s.experiment.title])
    // The figures are the journals' own, not recomputed.
    expect(row(comparison, 'dataLoss').cells.map((cell) => cell.value)).toEqual([a.measurements.dataLoss!.value, s.measurements.dataLoss!.value])
    expect(row(comparison, 'ackedWrites').cells.map((cell) => cell.value)).toEqual([a.workloads!.ledger!.attempts.acked, s.workloads!.ledger!.attempts.acked])
    expect(row(comparison, 'writeLatency.p50').cells.map((cell) => cell.value)).toEqual([a.workloads!.ledger!.writeLatency!.p50, s.workloads!.ledger!.writeLatency!.p50])
    expect(row(comparison, 'writeLatency.p99').cells.map((cell) => cell.value)).toEqual([a.workloads!.ledger!.writeLatency!.p99, s.workloads!.ledger!.writeLatency!.p99])
    expect(row(comparison, 'rpo').cells.map((cell) => cell.value)).toEqual([a.measurements.rpo!.value, s.measurements.rpo!.value])
    // As people read them, and the difference the second run makes.
    expect(texts(comparison, 'dataLoss')).toEqual(['7', '0'])
    expect(row(comparison, 'dataLoss').delta).toBe('−7')
    expect(texts(comparison, 'rpo')).toEqual(['75 ms ±10 ms', '0 ms ±10 ms'])
    expect(texts(comparison, 'ackedWrites')).toEqual(['878', '869'])
    expect(texts(comparison, 'writeLatency.p50')).toEqual(['1.32 ms', '102 ms'])
    // Sync pays the injected 100 ms round trip on every commit.
    expect(row(comparison, 'writeLatency.p50').delta).toBe('+101 ms')
    expect(texts(comparison, 'writeLatency.p99')).toEqual(['1.67 s', '1.47 s'])
    expect(texts(comparison, 'slo:rpo')).toEqual(['pass (<= 1s, 75 ms ±10 ms)', 'n/a'])
    expect(texts(comparison, 'slo:dataLoss')).toEqual(['n/a', 'pass (== 0, 0)'])
    expect(row(comparison, 'slo:rpo').cells.map((cell) => cell.tone)).toEqual(['pass', null])
  })

  it('shows what a run did not measure as n/a with the reason from its journal, never a number', () => {
    const comparison = compareJournals([asyncRun(), syncRun(), realJournal()])
    // No prober in the PostgreSQL experiments: no failover time, availability or probe latency.
    expect(texts(comparison, 'failoverTime')).toEqual(['n/a', 'n/a', '217 ms ±20 ms'])
    expect(notes(comparison, 'failoverTime')).toEqual(['no availability prober ran (workload.prober): it is what measures the failover time', 'no availability prober ran (workload.prober): it is what measures the failover time', null])
    for (const key of ['availability', 'errorRate', 'p50', 'p99']) {
      expect(notes(comparison, key).slice(0, 2)).toEqual(Array(2).fill('no prober or load ran (workload.prober, workload.load): they measure availability, error rate and latency'))
    }
    expect(texts(comparison, 'availability')[2]).toBe('96.07%')
    expect(texts(comparison, 'p99')[2]).toBe('9.89 ms')
    // The sandbox journal predates write latency in the ledger.
    expect(texts(comparison, 'writeLatency.p50')[2]).toBe('n/a')
    expect(notes(comparison, 'writeLatency.p50')[2]).toBe('this journal was written before rift recorded write latency (workloads.ledger.writeLatency)')
    // Three runs: no difference column.
    expect(comparison.rows.every((each) => each.delta === null)).toBe(true)
    for (const cell of comparison.rows.flatMap((each) => each.cells)) {
      if (cell.text === 'n/a') expect(cell).toMatchObject({note: expect.any(String), value: null})
      else if (cell.value !== null) expect(cell.note).toBeNull()
    }
  })

  it('does not judge lost writes when the ledger could not read every key back', () => {
    const unreadable = syncRun()
    const ledger = unreadable.workloads!.ledger!
    ledger.inconclusive = true
    ledger.counts.unreadable = 3
    delete unreadable.measurements.dataLoss
    delete unreadable.measurements.rpo
    ledger.writeLatency = null
    const comparison = compareJournals([asyncRun(), unreadable])
    expect(texts(comparison, 'dataLoss')).toEqual(['7', 'n/a'])
    expect(notes(comparison, 'dataLoss')[1]).toBe('the write ledger could not read back 3 key(s), so lost writes and RPO are not judged (workloads.ledger.inconclusive)')
    expect(notes(comparison, 'rpo')[1]).toBe(notes(comparison, 'dataLoss')[1])
    expect(row(comparison, 'dataLoss').delta).toBeNull()
    expect(notes(comparison, 'writeLatency.p50')[1]).toBe('no write was acknowledged, so no write latency was measured')
  })

  it('says when a run had no workload at all, and shows failed and inconclusive SLOs with their detail', () => {
    const bare = realJournal()
    bare.workloads = null
    bare.measurements = {}
    bare.verdict = 'inconclusive'
    bare.slos = [{detail: 'nothing in this run measured failoverTime; add a workload that does', name: 'failoverTime', objective: '<= 5s', observed: null, resolution: null, samples: 0, status: 'inconclusive'}]
    const failed = realJournal()
    failed.verdict = 'failed'
    failed.slos = failed.slos.map((slo) => (slo.name === 'failoverTime' ? {...slo, detail: 'not met', observed: 7250, status: 'fail' as const} : slo))
    const comparison = compareJournals([bare, failed])
    const figures = comparison.rows.filter((each) => each.unit !== 'text')
    for (const each of figures) expect(each.cells[0]).toEqual({note: 'the experiment has no workload section, so no prober, write ledger or load measured anything', text: 'n/a', tone: null, value: null})
    expect(row(comparison, 'verdict').cells.map((cell) => [cell.text, cell.tone])).toEqual([['inconclusive', 'warn'], ['failed', 'fail']])
    expect(texts(comparison, 'slo:failoverTime')).toEqual(['inconclusive (<= 5s)', 'fail (<= 5s, 7.25 s ±20 ms)'])
    expect(notes(comparison, 'slo:failoverTime')).toEqual(['nothing in this run measured failoverTime; add a workload that does', null])
    expect(texts(comparison, 'slo:availability')).toEqual(['n/a', 'pass (>= 80%, 96.07%)'])
    expect(notes(comparison, 'slo:availability')[0]).toBe("the run's experiment declares no such SLO")
  })
})

describe('the comparison in Markdown', () => {
  it('is one table with a column per run, a Δ column for two, and numbered notes for every n/a', () => {
    const [a, s] = [asyncRun(), syncRun()]
    const text = renderCompareMarkdown(compareJournals([a, s]))
    const lines = text.split('\n')
    expect(lines[0]).toBe('## 2 runs side by side')
    expect(lines).toContain(`|  | run 1 \`${a.runId}\` | run 2 \`${s.runId}\` | Δ (2 − 1) |`)
    expect(lines).toContain('| **verdict** | ✅ passed | ✅ passed |  |')
    expect(lines).toContain('| **failover time** | n/a [1] | n/a [1] |  |')
    expect(lines).toContain('| **lost writes** | 7 | 0 | −7 |')
    expect(lines).toContain('| **write latency p50** | 1.32 ms | 102 ms | +101 ms |')
    expect(lines).toContain('| **availability** | n/a [2] | n/a [2] |  |')
    expect(lines).toContain('| **SLO rpo** | ✅ pass (\\<= 1s, 75 ms ±10 ms) | n/a [3] |  |')
    expect(lines).toContain('| **SLO dataLoss** | n/a [3] | ✅ pass (== 0, 0) |  |')
    expect(lines).toContain('1. no availability prober ran (workload.prober): it is what measures the failover time')
    expect(lines).toContain("3. the run's experiment declares no such SLO")
    expect(lines).not.toContain('4.')
    expect(text).toContain(`- run 2: \`${s.runId}\`, 2026-11-26 15:36:39 UTC, \`experiments/postgres/sync-region-outage.yaml\`, journal \`${s.paths.journal}\``)
    // Every table row has as many cells as the header.
    const table = lines.filter((line) => line.startsWith('| '))
    expect(new Set(table.map((line) => line.split(/(?<!\\)\|/).length)).size).toBe(1)
  })

  it('escapes titles and objectives from user YAML: no markup, no broken table', () => {
    const hostile = asyncRun()
    hostile.experiment.title = HOSTILE
    const text = renderCompareMarkdown(compareJournals([hostile, syncRun()]))
    expect(text).not.toContain('<script>')
    const experimentLine = text.split('\n').find((line) => line.startsWith('| **experiment**'))!
    expect(experimentLine.split(/(?<!\\)\|/).length).toBe(6)
    expect(experimentLine).toContain('\\<script\\>')
  })
})

describe('the comparison as HTML', () => {
  it('is a self-contained page that fetches nothing, with the table, the notes and the runs', () => {
    const [a, s] = [asyncRun(), syncRun()]
    const page = renderCompareHtml(compareJournals([a, s]), '0.1.0')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;">`)
    expect(page).not.toMatch(/<(script|img|link|iframe)\b/i)
    // The only links are to the notes on the page itself.
    expect([...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1]).every((href) => href!.startsWith('#note-'))).toBe(true)
    expect(page).toContain('<tr data-row="dataLoss"><th scope="row" title="acknowledged writes not found when read back after recovery (measurements.dataLoss)">lost writes</th><td>7</td><td>0</td><td class="delta num">−7</td></tr>')
    expect(page).toContain('<td class="na">n/a<sup><a href="#note-1" title="no availability prober ran (workload.prober): it is what measures the failover time">[1]</a></sup></td>')
    expect(page).toContain('<li id="note-1">no availability prober ran (workload.prober): it is what measures the failover time</li>')
    expect(page).toContain('<span class="status pass">passed</span>')
    expect(page).toContain(`<code>${a.runId}</code>`)
  })

  it('escapes all text from the journals', () => {
    const hostile = asyncRun()
    hostile.experiment.title = HOSTILE
    hostile.experiment.file = '"><img src=x>.yaml'
    const page = renderCompareHtml(compareJournals([hostile, syncRun()]), '0.1.0')
    expect(page).not.toContain('<script>alert')
    expect(page).not.toMatch(/<img/i)
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
  })
})

describe('the comparison as JSON', () => {
  it('holds the runs and every row with raw values and reasons', () => {
    const comparison = compareJournals([asyncRun(), syncRun()])
    const parsed = JSON.parse(renderComparison(comparison, 'json', '0.1.0')) as Comparison
    expect(parsed).toEqual(comparison)
    expect(row(parsed, 'writeLatency.p50').cells.map((cell) => cell.value)).toEqual([1.321, 101.823])
  })
})
