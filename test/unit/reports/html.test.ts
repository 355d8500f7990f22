import {describe, expect, it} from 'vitest'

import {chartData, renderHtml} from '../../../src/reports/html.js'
import {loadChartAssets} from '../../../src/reports/uplot-assets.js'
import {HOSTILE, realJournal, rollbackIncompleteJournal} from './fixture.js'

/** The page's JSON data, as its script reads it. */
function pageData(page: string): any {
  const match = /<script type="application\/json" id="rift-data">([^<]*)<\/script>/.exec(page)
  expect(match).not.toBeNull()
  return JSON.parse(match![1]!)
}

describe('report.html', () => {
  it('is one self-contained file: uPlot inlined, nothing loaded from anywhere, fetches forbidden', () => {
    const page = renderHtml(realJournal())
    const {css, js} = loadChartAssets()
    expect(js.length).toBeGreaterThan(20_000)
    expect(page).toContain(js.slice(0, 200))
    expect(page).toContain(css.slice(0, 200))
    expect(page).not.toMatch(/<(script|img|link|iframe)[^>]*\s(src|href)=/i)
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;; style-src &#39;unsafe-inline&#39;; img-src data:">`)
  })

  it('carries the timeline, the fault windows and the failover phases in ms since the run started', () => {
    const journal = realJournal()
    const data = pageData(renderHtml(journal))
    expect(data).toEqual(chartData(journal))
    expect(data.series.points).toHaveLength(journal.workloads!.series!.points.length)
    const [fault] = data.faults
    expect(fault).toMatchObject({id: 'f1', kind: 'region-outage'})
    expect(fault.startMs).toBe(Date.parse(journal.faults[0]!.injectedAt!) - Date.parse(journal.startedAt))
    expect(fault.endMs).toBe(Date.parse(journal.faults[0]!.revertedAt!) - Date.parse(journal.startedAt))
    expect(data.phases.map((phase: {name: string}) => phase.name)).toEqual(['fault-start', 'first-failure', 'last-failure', 'recovered'])
    expect(data.rtoMs).toBe(journal.workloads!.failover!.rtoMs)
  })

  it('shows the verdict, SLOs, data-loss table, plan and environment as text', () => {
    const journal = realJournal()
    const page = renderHtml(journal)
    expect(page).toContain('<span class="badge">PASSED</span>')
    expect(page).toContain('<h1>a us-east outage fails over to eu-west and writes keep working</h1>')
    expect(page).toMatch(/<tr data-slo="failoverTime"><td><code>failoverTime<\/code><\/td><td><code>&lt;= 5s<\/code><\/td><td class="num">217 ms ±20 ms<\/td>/)
    expect(page).toMatch(/<tr class="" data-class="acked-and-present"><td><code>acked-and-present<\/code><\/td><td class="num">269<\/td>/)
    expect(page).toContain('disable proxy client-us-east (connections refused, open ones closed)')
    expect(page).toContain('<dt>Node.js</dt><dd>v20.20.2</dd>')
  })

  it('shades a fault that was never reverted to the end of the timeline and says what to do', () => {
    const journal = rollbackIncompleteJournal()
    const page = renderHtml(journal)
    const data = pageData(page)
    const series = journal.workloads!.series!
    expect(data.faults[0].endMs).toBe(series.points.at(-1)!.atMs + series.bucketMs)
    expect(page).toContain(`<strong>Something may still be faulted.</strong> Fix the cause, then run <code>rift rollback --run ${journal.runId}</code>.`)
  })

  it('renders without charts, and says why, when there is no prober timeline', () => {
    const journal = realJournal()
    journal.workloads = null
    const page = renderHtml(journal)
    expect(page).not.toContain('id="chart-availability"')
    expect(page).toMatch(/<p class="empty" id="no-charts">No charts: this experiment has no workload\./)
    expect(pageData(page).series).toBeNull()

    journal.steadyState = {after: null, before: [{...journal.steadyState.before![0]!, ok: false}]}
    expect(renderHtml(journal)).toContain('No charts: the run stopped before the workloads started')
  })

  it('escapes every piece of text, and no string in the data can close its script element', () => {
    const journal = realJournal()
    journal.experiment.title = HOSTILE
    journal.faults[0]!.target = '</script><script>alert(1)</script>'
    journal.reason = '<img src=x onerror=alert(1)>'
    const page = renderHtml(journal)
    expect(page).not.toContain('<script>alert')
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;')
    expect(pageData(page).faults[0].target).toBe('</script><script>alert(1)</script>')
    // Exactly the three scripts rift wrote.
    expect(page.match(/<script/g)).toHaveLength(3)
  })
})
