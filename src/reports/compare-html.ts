/**
 * The comparison as one self-contained HTML page in report.html's style: inline CSS, no script, and a
 * Content-Security-Policy that forbids every fetch. Everything from the journals is escaped by `html`.
 */
import {footnotes, type ComparedCell, type Comparison} from './compare.js'
import {formatDate} from './figures.js'
import {REPORT_CSS} from './html-style.js'
import {html, raw, type Markup} from './html-template.js'

const CSP = "default-src 'none'; style-src 'unsafe-inline'"

const COMPARE_CSS = `
table.compare th[scope=row] { white-space: nowrap; color: var(--fg); background: none; font-size: 15px; }
table.compare td.na { color: var(--muted); }
table.compare sup a { color: var(--info); text-decoration: none; }
table.compare td.delta { color: var(--muted); white-space: nowrap; }
ol.notes li, ul.runs li { margin: 4px 0; }
`

export function renderCompareHtml(comparison: Comparison, rift: string): string {
  const notes = footnotes(comparison)
  const withDelta = comparison.runs.length === 2
  const cell = (each: ComparedCell): Markup => {
    const number = each.note === null ? undefined : notes.get(each.note)
    const note = number === undefined ? '' : html`<sup><a href="#note-${number}" title="${each.note}">[${number}]</a></sup>`
    const text = each.tone === null ? each.text : html`<span class="status ${each.tone}">${each.text}</span>`
    return html`<td${raw(each.text === 'n/a' ? ' class="na"' : '')}>${text}${note}</td>`
  }
  const rows = comparison.rows.map(
    (row) => html`<tr data-row="${row.key}"><th scope="row" title="${row.meaning}">${row.label}</th>${row.cells.map((each) => cell(each))}${withDelta ? html`<td class="delta num">${row.delta ?? ''}</td>` : ''}</tr>\n`,
  )
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="rift ${rift}">
<title>rift comparison · ${comparison.runs.map((run) => run.runId).join(' · ')}</title>
<style>${raw(REPORT_CSS)}${raw(COMPARE_CSS)}</style>
</head>
<body>
<main>
<header class="verdict tone-${comparison.runs.every((run) => run.verdict === 'passed') ? 'pass' : 'warn'}">
<h1>${comparison.runs.length} runs side by side</h1>
<p class="muted">Every figure is read from the run's journal; n/a when the run did not measure it, with the reason below.</p>
</header>
<section id="comparison">
<table class="compare">
<thead><tr><th></th>${comparison.runs.map((run, index) => html`<th>run ${index + 1}<br><code>${run.runId}</code></th>`)}${withDelta ? html`<th class="num">Δ (2 − 1)</th>` : ''}</tr></thead>
<tbody>
${rows}</tbody>
</table>
</section>
${notes.size > 0 ? html`<section id="notes"><h2>Notes</h2><ol class="notes">${[...notes].map(([note, number]) => html`<li id="note-${number}">${note}</li>`)}</ol></section>` : ''}
<section id="runs"><h2>The runs</h2><ul class="runs">
${comparison.runs.map((run, index) => html`<li>run ${index + 1}: <code>${run.runId}</code>, ${formatDate(run.startedAt)}, ${run.title} (<code>${run.file}</code>); journal <code>${run.journal}</code></li>\n`)}</ul></section>
<section id="meanings"><h2>What each row measures</h2><dl class="env">
${comparison.rows.map((row) => html`<dt>${row.label}</dt><dd>${row.meaning}</dd>\n`)}</dl></section>
<footer>Written by rift ${rift}. Re-render with <code>rift report --compare ${comparison.runs.map((run) => run.journal).join(' ')} --format html</code>.</footer>
</main>
</body>
</html>
`
  return page.text
}
