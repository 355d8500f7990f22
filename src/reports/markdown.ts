/**
 * `summary.md`: the run in GitHub-flavoured Markdown, short enough for a job summary or a PR comment:
 * verdict and reason, SLOs, faults, failover phases, the write ledger, errors and warnings.
 * Every piece of text from the experiment or a driver is escaped: a title is user YAML, not Markdown.
 */
import type {Journal} from '../engine/journal.js'
import type {FailoverResult} from '../measure/failover.js'
import type {WindowFigures} from '../measure/windows.js'
import {LEDGER_CLASSES} from '../workloads/ledger/checker.js'
import {loadLine} from './load-line.js'
import {LEDGER_CLASS_MEANINGS, failoverRows} from './sections.js'
import {VERDICT_HEADLINES, formatDate, formatMs, formatObserved, formatPercent} from './figures.js'

export const VERDICT_ICONS: Record<Journal['verdict'], string> = {
  aborted: '⏹️',
  error: '💥',
  failed: '❌',
  inconclusive: '❔',
  interrupted: '✋',
  passed: '✅',
  'rollback-incomplete': '🚨',
}

const SLO_STATUS: Record<Journal['slos'][number]['status'], string> = {fail: '❌ fail', inconclusive: '❔ inconclusive', pass: '✅ pass'}

export function renderMarkdown(journal: Journal): string {
  const out: string[] = []
  const {experiment} = journal
  out.push(`## ${VERDICT_ICONS[journal.verdict]} ${VERDICT_HEADLINES[journal.verdict]} — ${inline(experiment.title)}`, '')
  out.push(`> ${inline(journal.reason)}`, '')
  out.push(
    [
      `Run \`${code(journal.runId)}\``,
      formatDate(journal.startedAt),
      formatMs(journal.durationMs),
      `exit ${journal.exitCode}`,
      `\`${code(experiment.file)}\``,
    ].join(' · '),
    '',
  )
  if (journal.verdict === 'rollback-incomplete') {
    out.push(`**Something may still be faulted.** Fix the cause, then run \`rift rollback --run ${code(journal.runId)}\`.`, '')
  }

  out.push('### SLOs', '')
  if (journal.slos.length === 0) out.push('No SLOs were declared.', '')
  else {
    out.push(...table(['SLO', 'objective', 'observed', 'samples', 'status'], journal.slos.map((slo) => [
      `\`${code(slo.name)}\``,
      `\`${code(slo.objective)}\``,
      formatObserved(journal, slo),
      String(slo.samples),
      slo.status === 'inconclusive' ? `${SLO_STATUS[slo.status]}: ${cell(slo.detail)}` : SLO_STATUS[slo.status],
    ])), '')
  }

  const probes = [
    ...(journal.steadyState.before ?? []).map((record) => ({...record, when: 'before'})),
    ...journal.probes.map((record) => ({...record, when: 'method'})),
    ...(journal.steadyState.after ?? []).map((record) => ({...record, when: 'after'})),
  ]
  if (probes.length > 0) {
    out.push('### Probes', '')
    out.push(...table(['when', 'probe', 'result', 'detail'], probes.map((record) => [
      record.when,
      cell(record.name),
      record.error === undefined ? (record.ok ? '✅ met' : '❌ not met') : '💥 could not run',
      cell(record.detail),
    ])), '')
    if (journal.steadyState.after === null && journal.steadyState.before !== null) out.push('_The steady state after the method was not checked: the run stopped before it._', '')
  }

  out.push('### Faults', '')
  if (journal.faults.length === 0) out.push('No fault was injected.', '')
  else {
    out.push(...table(['fault', 'kind', 'target', 'landed', 'reverted'], journal.faults.map((fault) => [
      fault.id,
      `\`${code(fault.kind)}\``,
      cell(fault.target),
      fault.landed === null ? 'not verified' : fault.landed ? 'yes' : '❌ no',
      fault.revert === 'failed' ? `🚨 failed: ${cell(fault.revertError ?? 'unknown error')}` : fault.revert === 'pending' ? '🚨 never attempted' : fault.revert,
    ])), '')
  }

  const failover = journal.workloads?.failover
  if (failover) out.push('### Failover', '', ...failoverMarkdown(failover), '')

  const ledger = journal.workloads?.ledger
  if (ledger) {
    out.push('### Writes and data loss', '')
    out.push(
      `${ledger.attempts.total} writes attempted, ${ledger.attempts.acked} acknowledged; **${ledger.lost.count} acknowledged write(s) lost**` +
        (ledger.lost.count > 0 ? ` (RPO window ${formatMs(ledger.rpo.windowMs)})` : '') +
        (ledger.inconclusive ? '. Some keys could not be read back: these are lower bounds.' : '.'),
      '',
    )
    out.push(...table(['class', 'writes', 'meaning'], LEDGER_CLASSES.map((name) => [`\`${name}\``, String(ledger.counts[name]), LEDGER_CLASS_MEANINGS[name]])), '')
    if (ledger.lost.keys.length > 0) {
      const shown = ledger.lost.keys.slice(0, 20).map((key) => `\`${code(key)}\``)
      out.push(`Lost keys: ${shown.join(', ')}${ledger.lost.keys.length > shown.length ? `, and ${ledger.lost.keys.length - shown.length} more` : ''}`, '')
    }
  }

  out.push(...windowsMarkdown('Availability and latency by phase', 'probes', journal.workloads?.windows ?? []))
  const load = journal.workloads?.load
  if (load) {
    const line = loadLine(journal)
    out.push(...windowsMarkdown(`Load by phase (${load.engine === 'k6' ? 'k6' : 'built-in generator'})`, 'requests', load.windows, line === null ? [] : [line, '']))
  }

  if (journal.errors.length > 0) {
    out.push('### Errors', '')
    for (const error of journal.errors) out.push(`- \`${error.code}\` in ${inline(error.phase)}: ${inline(error.message)}`)
    out.push('')
  }
  if (journal.warnings.length > 0) {
    out.push('### Warnings', '')
    for (const warning of journal.warnings) out.push(`- ${inline(warning)}`)
    out.push('')
  }
  out.push(`<sub>rift ${inline(journal.environment.rift)} on ${inline(journal.environment.hostname)} · full record: \`${code(journal.paths.journal)}\` · charts: \`${code(`${journal.paths.dir}/report.html`)}\`</sub>`, '')
  return out.join('\n')
}

function failoverMarkdown(failover: FailoverResult): string[] {
  const lines: string[] = []
  if (failover.rtoMs !== null) {
    const accuracy = failover.resolutionMs === null ? '' : ` (±${formatMs(failover.resolutionMs)}, the probe interval)`
    lines.push(`Client-observed failover time (RTO): **${formatMs(failover.rtoMs)}**${accuracy}, over ${failover.samples} probes after the fault started.`)
  } else {
    lines.push(`No failover time could be measured: ${inline(failover.inconclusive ?? 'unknown reason')}.`)
  }
  if (failover.note) lines.push('', `_${inline(failover.note)}_`)
  lines.push('', ...table(['phase', 'since fault start', 'since run start'], failoverRows(failover).map((row) => [row.label, row.sinceFault, row.sinceRun])))
  return lines
}

/** A GFM table; every cell is already escaped. */
function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)]
}

/**
 * Text that must not become Markdown or HTML. Emphasis, code, tags, tables and headings are escaped; with
 * brackets escaped no link can form, so parentheses and the like can stay as they are.
 */
export function inline(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]#|<>~]/g, '\\$&')
}

function cell(text: string): string {
  return inline(text)
}

/** Inside a code span nothing is interpreted but the backtick itself, and a table's pipe. */
export function code(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')
}

function windowsMarkdown(title: string, unit: string, windows: readonly WindowFigures[], preface: string[] = []): string[] {
  if (windows.length === 0) return []
  return [
    `### ${title}`,
    '',
    ...preface,
    ...table(['window', 'duration', unit, 'availability', 'p50', 'p99'], windows.map((window) => [
      window.kind === 'fault' ? `fault ${window.name}` : window.name,
      formatMs(window.endMs - window.startMs),
      String(window.samples),
      window.availability === null ? '—' : formatPercent(window.availability),
      window.latency ? formatMs(window.latency.p50) : '—',
      window.latency ? formatMs(window.latency.p99) : '—',
    ])),
    '',
  ]
}
