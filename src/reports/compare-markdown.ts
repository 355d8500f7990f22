/**
 * The comparison in GitHub-flavoured Markdown: one column per run, a Δ column for two runs, numbered notes
 * for every n/a. Text from the journals (titles, objectives, details) is escaped like summary.md's.
 */
import type {Verdict} from '../engine/verdict.js'
import {footnotes, type ComparedCell, type Comparison, type Tone} from './compare.js'
import {formatDate} from './figures.js'
import {VERDICT_ICONS, code, inline} from './markdown.js'

const TONE_ICONS: Record<Tone, string> = {fail: '❌', pass: '✅', warn: '❔'}

export function renderCompareMarkdown(comparison: Comparison): string {
  const notes = footnotes(comparison)
  const withDelta = comparison.runs.length === 2
  const head = ['', ...comparison.runs.map((run, index) => `run ${index + 1} \`${code(run.runId)}\``), ...(withDelta ? ['Δ (2 − 1)'] : [])]
  // The verdict row's text is the verdict itself, which has its own icon (as in summary.md).
  const cell = (cellOf: ComparedCell, verdict: boolean): string => {
    const icon = cellOf.tone === null ? '' : `${verdict ? VERDICT_ICONS[cellOf.text as Verdict] : TONE_ICONS[cellOf.tone]} `
    const note = cellOf.note === null ? '' : ` [${notes.get(cellOf.note)}]`
    return `${icon}${inline(cellOf.text)}${note}`
  }
  const body = comparison.rows.map((row) => [`**${inline(row.label)}**`, ...row.cells.map((each) => cell(each, row.key === 'verdict')), ...(withDelta ? [row.delta ?? ''] : [])])
  const lines = [
    `## ${comparison.runs.length} runs side by side`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
    '',
  ]
  if (notes.size > 0) lines.push('Notes:', '', ...[...notes].map(([note, number]) => `${number}. ${inline(note)}`), '')
  lines.push(
    'The runs:',
    '',
    ...comparison.runs.map((run, index) => `- run ${index + 1}: \`${code(run.runId)}\`, ${formatDate(run.startedAt)}, \`${code(run.file)}\`, journal \`${code(run.journal)}\``),
    '',
    'What each row measures (every figure is read from the run\'s journal; n/a when the run did not measure it):',
    '',
    ...comparison.rows.map((row) => `- **${inline(row.label)}**: ${inline(row.meaning)}`),
    '',
  )
  return lines.join('\n')
}
