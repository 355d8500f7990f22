/**
 * `report.html`: one self-contained page for a run, to read after a game day or attach to a CI job. uPlot,
 * the stylesheet, the data and the chart script are all inline, and a Content-Security-Policy forbids every
 * fetch, so it opens the same from a laptop, an artifact store or an air-gapped machine.
 * Everything from the journal is escaped by the `html` template; the charts read their data from a JSON
 * script element, never from markup.
 */
import type {FaultRecord, Journal, ProbeRecord} from '../engine/journal.js'
import type {PlannedStep} from '../engine/plan.js'
import {LEDGER_CLASSES} from '../workloads/ledger/checker.js'
import {CHART_SCRIPT} from './html-charts.js'
import {REPORT_CSS} from './html-style.js'
import {html, jsonForScript, raw, scriptSafe, type Fragment, type Markup} from './html-template.js'
import {VERDICT_HEADLINES, VERDICT_MEANINGS, VERDICT_TONES, formatDate, formatMs, formatObserved, formatPercent, formatValue, msSinceStart, rollbackIncomplete, type Tone} from './figures.js'
import {LEDGER_CLASS_MEANINGS, failoverRows} from './sections.js'
import {loadChartAssets, type ChartAssets} from './uplot-assets.js'

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

export function renderHtml(journal: Journal, assets: ChartAssets = loadChartAssets()): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="rift ${journal.environment.rift}">
<title>${journal.verdict.toUpperCase()} · ${journal.experiment.title} · rift ${journal.runId}</title>
<style>${raw(assets.css)}</style>
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
<main>
${header(journal)}
${kpis(journal)}
${timeline(journal)}
${failover(journal)}
${slos(journal)}
${dataLoss(journal)}
${windows(journal)}
${faults(journal)}
${probes(journal)}
${plan(journal)}
${problems(journal)}
${events(journal)}
${environment(journal)}
<footer>Written by rift ${journal.environment.rift} from <code>${journal.paths.journal}</code>. Re-render with <code>rift report ${journal.paths.dir}</code>.</footer>
</main>
<script>${raw(scriptSafe(assets.js))}</script>
<script type="application/json" id="rift-data">${raw(jsonForScript(chartData(journal)))}</script>
<script>${raw(scriptSafe(CHART_SCRIPT))}</script>
</body>
</html>
`
  return page.text
}

/** What the chart script needs, in ms since the run started. */
export function chartData(journal: Journal): {
  endMs: number
  faults: {endMs: number; id: string; kind: string; startMs: number; target: string}[]
  phases: {atMs: number; label: string; name: string}[]
  rtoMs: number | null
  series: NonNullable<Journal['workloads']>['series']
} {
  const series = journal.workloads?.series ?? null
  const lastBucketEnd = series && series.points.length > 0 ? series.points.at(-1)!.atMs + series.bucketMs : journal.durationMs
  const faultWindows = journal.faults.flatMap((fault) => {
    const startMs = fault.injectedAt === null ? null : msSinceStart(journal, fault.injectStartedAt ?? fault.injectedAt)
    if (startMs === null) return []
    // A fault never reverted is shaded to the end of what was measured: it was still on.
    const endMs = msSinceStart(journal, fault.revertedAt) ?? Math.max(lastBucketEnd, startMs)
    return [{endMs, id: fault.id, kind: fault.kind, startMs, target: fault.target}]
  })
  const failoverResult = journal.workloads?.failover ?? null
  return {
    endMs: journal.durationMs,
    faults: faultWindows,
    phases: failoverResult ? failoverRows(failoverResult).map((row) => ({atMs: row.atMs, label: row.label, name: row.name})) : [],
    rtoMs: failoverResult?.rtoMs ?? null,
    series,
  }
}

function header(journal: Journal): Markup {
  const tone = VERDICT_TONES[journal.verdict]
  const {experiment} = journal
  return html`<header class="verdict tone-${tone}" id="verdict">
  <span class="badge">${journal.verdict.toUpperCase()}</span> <span class="muted">exit code ${journal.exitCode}</span>
  <h1>${experiment.title}</h1>
  ${experiment.description ? html`<p class="muted">${experiment.description}</p>` : ''}
  <p class="reason"><strong>${VERDICT_HEADLINES[journal.verdict]}:</strong> ${journal.reason}</p>
  ${journal.verdict === 'passed' ? '' : html`<p class="meaning">${VERDICT_MEANINGS[journal.verdict]}</p>`}
  ${rollbackIncomplete(journal) ? html`<div class="callout"><strong>Something may still be faulted.</strong> Fix the cause, then run <code>rift rollback --run ${journal.runId}</code>.</div>` : ''}
  <dl class="meta">
    <div><dt>run</dt><dd><code>${journal.runId}</code></dd></div>
    <div><dt>started</dt><dd>${formatDate(journal.startedAt)}</dd></div>
    <div><dt>took</dt><dd>${formatMs(journal.durationMs)}</dd></div>
    <div><dt>experiment</dt><dd><code>${experiment.file}</code></dd></div>
    ${experiment.tags.length > 0 ? html`<div><dt>tags</dt><dd>${experiment.tags.join(', ')}</dd></div>` : ''}
  </dl>
</header>`
}

function kpis(journal: Journal): Markup {
  const cards: Markup[] = []
  const slo = (name: string) => journal.slos.find((result) => result.name === name)
  const card = (label: string, value: string, sub: Fragment, tone?: Tone) =>
    html`<div class="kpi"${tone ? raw(` style="--tone: var(--${tone})"`) : ''}><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`
  const sloSub = (name: string, fallback: string): [Fragment, Tone | undefined] => {
    const result = slo(name)
    if (!result) return [fallback, undefined]
    const tone: Tone = result.status === 'pass' ? 'pass' : result.status === 'fail' ? 'fail' : 'warn'
    return [html`objective <code>${result.objective}</code> · <span class="status ${result.status}">${result.status}</span>`, tone]
  }
  const failoverResult = journal.workloads?.failover
  if (failoverResult) {
    const [sub, tone] = sloSub('failoverTime', failoverResult.resolutionMs === null ? 'client-observed' : `±${formatMs(failoverResult.resolutionMs)} (probe interval)`)
    cards.push(card('Failover time (RTO)', failoverResult.rtoMs === null ? 'not measured' : formatMs(failoverResult.rtoMs), sub, tone))
  }
  const availability = journal.measurements.availability
  if (availability) {
    const [sub, tone] = sloSub('availability', `${availability.samples} probes`)
    cards.push(card('Availability', formatPercent(availability.value), sub, tone))
  }
  const ledger = journal.workloads?.ledger
  if (ledger) {
    const [sub, tone] = sloSub('dataLoss', `of ${ledger.attempts.acked} acknowledged writes`)
    cards.push(card('Lost writes', String(ledger.lost.count), sub, tone ?? (ledger.lost.count > 0 ? 'fail' : 'pass')))
  }
  const p99 = journal.measurements.p99
  if (p99) {
    const [sub, tone] = sloSub('p99', `p50 ${journal.measurements.p50 ? formatMs(journal.measurements.p50.value) : '—'}`)
    cards.push(card('Latency p99', formatMs(p99.value), sub, tone))
  }
  const reverted = journal.faults.filter((fault) => fault.revert === 'reverted' || fault.revert === 'already-reverted').length
  const notLanded = journal.faults.filter((fault) => fault.landed === false).length
  cards.push(
    card(
      'Faults',
      `${journal.faults.length}`,
      `${reverted} reverted${notLanded > 0 ? `, ${notLanded} did not land` : ''}`,
      rollbackIncomplete(journal) ? 'fail' : notLanded > 0 ? 'warn' : journal.faults.length > 0 ? 'pass' : undefined,
    ),
  )
  return html`<section class="kpis" id="kpis" aria-label="key figures">${cards}</section>`
}

function timeline(journal: Journal): Markup {
  const series = journal.workloads?.series
  if (!series || series.points.length === 0) {
    return html`<section id="timeline"><h2>Availability and latency over time</h2><p class="empty" id="no-charts">${noChartsReason(journal)}</p></section>`
  }
  const hasPhases = (journal.workloads?.failover?.phases.length ?? 0) > 0
  const hasRto = (journal.workloads?.failover?.rtoMs ?? null) !== null
  return html`<section id="timeline">
  <h2>Availability and latency over time</h2>
  <p class="muted">The prober's view from the clients' side, in buckets of ${formatMs(series.bucketMs)}. Drag across a chart to zoom; the two charts move together.</p>
  <div class="chart-tools"><button type="button" id="zoom-failover" hidden>Close-up of the failover</button><button type="button" id="zoom-reset" hidden>Whole run</button></div>
  <div id="charts">
    <div class="chart" id="chart-availability"></div>
    <div class="chart" id="chart-latency"></div>
  </div>
  <div class="legend-key"><span class="key-fault">fault window</span>${hasPhases ? html`<span class="key-phase">failover phase</span>` : ''}${hasRto ? html`<span class="key-rto">RTO: fault start to recovery</span>` : ''}</div>
</section>`
}

function noChartsReason(journal: Journal): string {
  if (journal.workloads === null) {
    const started = journal.steadyState.before?.every((record) => record.ok) ?? false
    return started
      ? 'No charts: this experiment has no workload. Add a workload.prober section to measure availability, latency and failover time from the clients\u2019 side.'
      : 'No charts: the run stopped before the workloads started (the steady state before the method did not hold, or the run ended earlier), so nothing was measured over time.'
  }
  return 'No charts: this run had no prober, so there is no availability or latency timeline. Add workload.prober to the experiment to draw one.'
}

function failover(journal: Journal): Markup | string {
  const result = journal.workloads?.failover
  if (!result) return ''
  const headline =
    result.rtoMs === null
      ? html`<p><strong>No failover time could be measured:</strong> ${result.inconclusive ?? 'unknown reason'}.</p>`
      : html`<p>Clients saw steady success again <strong>${formatMs(result.rtoMs)}</strong> after the fault started${result.resolutionMs === null ? '' : html`, accurate to ±${formatMs(result.resolutionMs)} (the probe interval)`}: ${result.failures} of ${result.samples} probes after the fault failed.</p>`
  return html`<section id="failover">
  <h2>Failover</h2>
  ${headline}
  ${result.note ? html`<p class="muted">${result.note}</p>` : ''}
  <table><thead><tr><th>phase</th><th class="num">since fault start</th><th class="num">since run start</th></tr></thead><tbody>
  ${failoverRows(result).map((row) => html`<tr data-phase="${row.name}"><td>${row.label}</td><td class="num">${row.sinceFault}</td><td class="num">${row.sinceRun}</td></tr>`)}
  </tbody></table>
</section>`
}

function slos(journal: Journal): Markup {
  const body =
    journal.slos.length === 0
      ? html`<p class="empty">No SLOs were declared: the verdict rests on the steady state and the faults alone.</p>`
      : html`<table><thead><tr><th>SLO</th><th>objective</th><th class="num">observed</th><th class="num">samples</th><th>status</th><th>detail</th></tr></thead><tbody>
  ${journal.slos.map((slo) => html`<tr data-slo="${slo.name}"><td><code>${slo.name}</code></td><td><code>${slo.objective}</code></td><td class="num">${formatObserved(journal, slo)}</td><td class="num">${slo.samples}</td><td><span class="status ${slo.status}">${slo.status}</span></td><td>${slo.detail}</td></tr>`)}
  </tbody></table>`
  return html`<section id="slos"><h2>SLOs</h2>${body}</section>`
}

function dataLoss(journal: Journal): Markup | string {
  const ledger = journal.workloads?.ledger
  if (!ledger) return ''
  const shown = ledger.lost.keys.slice(0, 50)
  return html`<section id="data-loss">
  <h2>Writes and data loss</h2>
  <p>${ledger.attempts.total} writes attempted (${ledger.attempts.acked} acknowledged, ${ledger.attempts.failed} refused, ${ledger.attempts.timeout} timed out), each read back after recovery:
  <strong>${ledger.lost.count} acknowledged write${ledger.lost.count === 1 ? '' : 's'} lost</strong>${ledger.lost.count > 0 ? html`, an RPO window of <strong>${formatMs(ledger.rpo.windowMs)}</strong>` : ''}.</p>
  ${ledger.inconclusive ? html`<p class="callout">Some keys could not be read back: the loss figures are lower bounds and were not judged.</p>` : ''}
  <table><thead><tr><th>class</th><th class="num">writes</th><th>meaning</th></tr></thead><tbody>
  ${LEDGER_CLASSES.map((name) => html`<tr class="${ledger.counts[name] === 0 ? 'zero' : ''}" data-class="${name}"><td><code>${name}</code></td><td class="num">${ledger.counts[name]}</td><td>${LEDGER_CLASS_MEANINGS[name]}</td></tr>`)}
  </tbody></table>
  ${shown.length > 0 ? html`<h3>Lost keys</h3><p class="mono">${shown.join(', ')}${ledger.lost.keys.length > shown.length ? ` … and ${ledger.lost.keys.length - shown.length} more` : ''}</p>` : ''}
</section>`
}

function windows(journal: Journal): Markup | string {
  const list = journal.workloads?.windows ?? []
  if (list.length === 0) return ''
  return html`<section id="windows">
  <h2>By phase of the run</h2>
  <table><thead><tr><th>window</th><th class="num">from</th><th class="num">to</th><th class="num">probes</th><th class="num">availability</th><th class="num">p50</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>
  ${list.map((window) => html`<tr><td>${window.kind === 'fault' ? `fault ${window.name}` : window.name}</td><td class="num">${formatMs(window.startMs)}</td><td class="num">${formatMs(window.endMs)}</td><td class="num">${window.samples}</td><td class="num">${window.availability === null ? '—' : formatPercent(window.availability)}</td><td class="num">${window.latency ? formatMs(window.latency.p50) : '—'}</td><td class="num">${window.latency ? formatMs(window.latency.p99) : '—'}</td><td class="num">${window.latency ? formatMs(window.latency.max) : '—'}</td></tr>`)}
  </tbody></table>
</section>`
}

function faults(journal: Journal): Markup {
  const revert = (fault: FaultRecord): Markup => {
    switch (fault.revert) {
      case 'reverted':
      case 'already-reverted':
        return html`<span class="status pass">${fault.revert}</span>${fault.revertedAt ? html` <span class="muted">at +${formatMs(msSinceStart(journal, fault.revertedAt) ?? 0)}</span>` : ''}`
      case 'failed':
        return html`<span class="status fail">failed</span> ${fault.revertError ?? ''}`
      case 'pending':
        return html`<span class="status fail">never attempted</span>`
    }
  }
  const landed = (fault: FaultRecord): Markup =>
    fault.landed === null ? html`<span class="status info">not verified</span>` : fault.landed ? html`<span class="status pass">landed</span>` : html`<span class="status fail">did not land</span>`
  const body =
    journal.faults.length === 0
      ? html`<p class="empty">No fault was injected.</p>`
      : html`<table><thead><tr><th>fault</th><th>kind</th><th>target</th><th>injected</th><th>landed</th><th>reverted</th></tr></thead><tbody>
  ${journal.faults.map((fault) => html`<tr data-fault="${fault.id}"><td>${fault.id}</td><td><code>${fault.kind}</code> <span class="muted">via ${fault.driver}</span></td><td>${fault.target}</td><td>${fault.injectedAt ? `+${formatMs(msSinceStart(journal, fault.injectedAt) ?? 0)}` : 'not injected'}</td><td>${landed(fault)}<div class="muted">${fault.landedDetail}</div></td><td>${revert(fault)}</td></tr>`)}
  </tbody></table>`
  return html`<section id="faults"><h2>Faults</h2>${body}</section>`
}

function probes(journal: Journal): Markup {
  const rows = (when: string, records: readonly ProbeRecord[]) =>
    records.map(
      (record) =>
        html`<tr><td>${when}</td><td>${record.name}</td><td>${record.error === undefined ? html`<span class="status ${record.ok ? 'pass' : 'fail'}">${record.ok ? 'met' : 'not met'}</span>` : html`<span class="status fail">could not run</span>`}</td><td>${record.detail}</td><td class="num">${formatMs(record.durationMs)}</td></tr>`,
    )
  const {after, before} = journal.steadyState
  const all = [...rows('before', before ?? []), ...rows('method', journal.probes), ...rows('after', after ?? [])]
  return html`<section id="probes">
  <h2>Steady state and probes</h2>
  ${all.length === 0 ? html`<p class="empty">No probe ran.</p>` : html`<table><thead><tr><th>when</th><th>probe</th><th>result</th><th>detail</th><th class="num">took</th></tr></thead><tbody>${all}</tbody></table>`}
  ${before === null ? html`<p class="muted">The steady state before the method was not checked.</p>` : ''}
  ${before !== null && after === null ? html`<p class="muted">The steady state after the method was not checked: the run stopped before it.</p>` : ''}
</section>`
}

function plan(journal: Journal): Markup {
  const step = (item: PlannedStep): Markup => {
    switch (item.type) {
      case 'wait':
        return html`<li class="step-wait"><strong>wait ${formatMs(item.ms)}</strong>${item.label.startsWith('wait') ? '' : html` <span class="muted">${item.label}</span>`}</li>`
      case 'probe':
        return html`<li class="step-probe"><strong>probe</strong> ${item.label}<details><summary>definition</summary><pre>${JSON.stringify(item.probe, null, 2)}</pre></details></li>`
      case 'fault':
        return html`<li class="step-fault"><strong>${item.faultId} ${item.kind}</strong> on ${item.target} <span class="muted">via ${item.driver}, held${item.background ? ' in the background' : ''} for ${formatMs(item.durationMs)}, then reverted</span>
  <ul>${item.actions.map((action) => html`<li>${action.description}</li>`)}${item.fidelity.map((note) => html`<li class="fidelity">fidelity: ${note}</li>`)}</ul>
  <details><summary>parameters</summary><pre>${JSON.stringify(item.params, null, 2)}</pre></details></li>`
    }
  }
  return html`<section id="plan">
  <h2>The plan that ran</h2>
  ${journal.plan.length === 0 ? html`<p class="empty">The method had no steps.</p>` : html`<ol class="plan">${journal.plan.map((item) => step(item))}</ol>`}
  <p class="muted">Rollback: every fault still held is reverted, last in first out, whatever happens.</p>
</section>`
}

function problems(journal: Journal): Markup | string {
  if (journal.errors.length === 0 && journal.warnings.length === 0) return ''
  return html`<section id="problems">
  <h2>Errors and warnings</h2>
  ${journal.errors.length > 0 ? html`<ul class="problems">${journal.errors.map((error) => html`<li><span class="status fail">${error.code}</span> in ${error.phase}: ${error.message}</li>`)}</ul>` : ''}
  ${journal.warnings.length > 0 ? html`<ul class="problems">${journal.warnings.map((warning) => html`<li><span class="status warn">warning</span> ${warning}</li>`)}</ul>` : ''}
</section>`
}

function events(journal: Journal): Markup {
  return html`<section id="events">
  <h2>Timeline of events</h2>
  <details><summary>${journal.timeline.length} events, from the first probe to the verdict</summary>
  <table><thead><tr><th class="num">at</th><th>event</th><th>detail</th></tr></thead><tbody>
  ${journal.timeline.map((event) => html`<tr><td class="num">+${formatMs(msSinceStart(journal, event.at) ?? 0)}</td><td><code>${event.event}</code></td><td>${event.detail}</td></tr>`)}
  </tbody></table></details>
</section>`
}

function environment(journal: Journal): Markup {
  const {environment: env, paths} = journal
  const rows: [string, string][] = [
    ['rift', env.rift],
    ['Node.js', env.node],
    ['platform', env.platform],
    ['host', env.hostname],
    ['working directory', env.cwd],
    ['run folder', paths.dir],
    ['ledger', paths.ledger],
    ['started', formatDate(journal.startedAt)],
    ['ended', formatDate(journal.endedAt)],
    ['journal schema', String(journal.schemaVersion)],
  ]
  const measured = Object.entries(journal.measurements)
  return html`<section id="environment" class="two-col">
  <div><h2>Environment</h2><dl class="env">${rows.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl></div>
  <div><h2>Everything measured</h2>${measured.length === 0 ? html`<p class="muted">Nothing was measured.</p>` : html`<dl class="env">${measured.map(([name, value]) => html`<dt><code>${name}</code></dt><dd>${formatValue(value.value, value.unit)} <span class="muted">(${value.samples} samples)</span></dd>`)}</dl>`}</div>
</section>`
}
