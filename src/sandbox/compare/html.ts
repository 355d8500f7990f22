/**
 * The comparison as one self-contained HTML page: inline CSS, no script, no font or image to fetch, so it
 * opens the same offline, in a mail attachment or in CI artifacts.
 */
import {cells, COLUMNS, HEADER, setting, type Comparison} from './table.js'

const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

export function renderHtml(comparison: Comparison): string {
  const rows = comparison.rows
    .map((row) => {
      const verdictClass = row.verdict === 'passed' ? 'ok' : 'bad'
      const tds = [row.label, ...cells(row)].map((cell) => `<td>${escape(cell)}</td>`).join('')
      return `<tr data-variant="${escape(row.variant)}">${tds}<td class="${verdictClass}">${escape(row.verdict)}</td></tr>`
    })
    .join('\n')
  const legend = COLUMNS.map(([name, meaning]) => `<dt>${escape(name)}</dt><dd>${escape(meaning)}</dd>`).join('\n')
  const runs = comparison.rows.map((row) => `<li>${escape(row.label)}: run <code>${escape(row.runId)}</code>, <code>${escape(row.journal)}</code></li>`).join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rift sandbox compare ${escape(comparison.id)}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #d0d7de;padding:.4rem .6rem;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{background:#f6f8fa}
td.ok{color:#1a7f37}td.bad{color:#cf222e}
dt{font-weight:600;margin-top:.5rem}dd{margin-left:1rem;color:#57606a}
code{font-size:90%}
</style>
</head>
<body>
<h1>rift sandbox compare</h1>
<p>Comparison <code>${escape(comparison.id)}</code>, ${escape(comparison.startedAt)}. ${escape(setting(comparison))}</p>
<table id="comparison">
<thead><tr>${HEADER.map((title) => `<th>${escape(title)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${comparison.notRun.length > 0 ? `<p>Not run (the comparison was interrupted): ${escape(comparison.notRun.join(', '))}.</p>` : ''}
<h2>What each column measures</h2>
<p>Every figure is read from the run's journal.</p>
<dl>
${legend}
</dl>
<h2>The runs</h2>
<ul>
${runs}
</ul>
</body>
</html>
`
}
