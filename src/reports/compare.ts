/**
 * `rift report --compare`: several runs side by side, one row per figure, one column per run. Every figure
 * is read from the run's journal and nothing else; one the run did not measure is `n/a` with the reason
 * (also read from the journal), never 0 or a guess. Pure: journals in, rows out; compare-markdown.ts and
 * compare-html.ts render them.
 */
import type {Journal, SloResult} from '../engine/journal.js'
import type {Verdict} from '../engine/verdict.js'
import {VERDICT_TONES, formatMs, formatObserved, formatPercent, type Tone, type Unit} from './figures.js'

export type {Tone} from './figures.js'

export interface ComparedCell {
  text: string
  /** The raw figure behind `text`, in the row's unit; null for text and for what was not measured. */
  value: number | null
  /** Why the cell is n/a (or an SLO inconclusive): a footnote in the rendered reports. */
  note: string | null
  tone: Tone | null
}

export interface ComparedRow {
  key: string
  label: string
  /** What the row measures and where in the journal it comes from. */
  meaning: string
  unit: Unit | 'text'
  cells: ComparedCell[]
  /** The last run's value minus the first's, when exactly two runs both measured it; else null. */
  delta: string | null
}

export interface ComparedRun {
  runId: string
  journal: string
  title: string
  file: string
  verdict: Verdict
  startedAt: string
}

export interface Comparison {
  runs: ComparedRun[]
  rows: ComparedRow[]
}

type Figure = {value: number; resolution?: number | null} | {missing: string}

interface FigureSpec {
  key: string
  label: string
  meaning: string
  unit: Unit
  figure: (journal: Journal) => Figure
}

const NO_WORKLOAD = 'the experiment has no workload section, so no prober, write ledger or load measured anything'
const NO_PROBER = 'no availability prober ran (workload.prober): it is what measures the failover time'
const NO_TRAFFIC = 'no prober or load ran (workload.prober, workload.load): they measure availability, error rate and latency'
const NO_LEDGER = 'no write ledger ran (workload.ledger): it measures acknowledged writes, lost writes, RPO and write latency'

/** A measurement of `journal.measurements`, or why there is none. */
function measured(name: string, why: (journal: Journal) => string): (journal: Journal) => Figure {
  return (journal) => {
    const found = journal.measurements[name]
    return found ? {resolution: found.resolution, value: found.value} : {missing: why(journal)}
  }
}

function failoverMissing(journal: Journal): string {
  const workloads = journal.workloads
  if (workloads === null) return NO_WORKLOAD
  if (workloads.failover) return `the prober measured no recovery${workloads.failover.inconclusive ? `: ${workloads.failover.inconclusive}` : ''}`
  if (workloads.windows.length === 0 && workloads.series === null) return NO_PROBER
  return 'no fault was injected, so there was no failover to time'
}

function trafficMissing(what: string): (journal: Journal) => string {
  return (journal) => {
    const workloads = journal.workloads
    if (workloads === null) return NO_WORKLOAD
    if (workloads.windows.length === 0 && workloads.series === null && workloads.load === null) return NO_TRAFFIC
    return `no ${what} was measured: the prober and the load had no successful request to measure`
  }
}

function ledgerMissing(journal: Journal): string {
  const ledger = journal.workloads?.ledger
  if (journal.workloads === null) return NO_WORKLOAD
  if (!ledger) return NO_LEDGER
  if (ledger.inconclusive) return `the write ledger could not read back ${ledger.counts.unreadable} key(s), so lost writes and RPO are not judged (workloads.ledger.inconclusive)`
  return 'the write ledger recorded no such figure'
}

function writeLatency(percentile: 'p50' | 'p99'): (journal: Journal) => Figure {
  return (journal) => {
    const ledger = journal.workloads?.ledger
    if (!ledger) return {missing: ledgerMissing(journal)}
    // Journals written before rift recorded write latency have no such field at all.
    if (ledger.writeLatency === undefined) return {missing: 'this journal was written before rift recorded write latency (workloads.ledger.writeLatency)'}
    if (ledger.writeLatency === null) return {missing: 'no write was acknowledged, so no write latency was measured'}
    return {value: ledger.writeLatency[percentile]}
  }
}

export const FIGURES: FigureSpec[] = [
  {figure: measured('failoverTime', failoverMissing), key: 'failoverTime', label: 'failover time', meaning: 'client-observed RTO: from the first fault until the prober read successfully 3 times in a row (measurements.failoverTime, ± the probe interval)', unit: 'ms'},
  {figure: measured('dataLoss', ledgerMissing), key: 'dataLoss', label: 'lost writes', meaning: 'acknowledged writes not found when read back after recovery (measurements.dataLoss)', unit: 'count'},
  {figure: measured('rpo', ledgerMissing), key: 'rpo', label: 'RPO', meaning: 'the time window the lost writes span, from the last write that survived to the last one lost (measurements.rpo)', unit: 'ms'},
  {
    figure: (journal) => {
      const ledger = journal.workloads?.ledger
      return ledger ? {value: ledger.attempts.acked} : {missing: ledgerMissing(journal)}
    },
    key: 'ackedWrites',
    label: 'acknowledged writes',
    meaning: 'writes the store acknowledged during the run (workloads.ledger.attempts.acked)',
    unit: 'count',
  },
  {figure: writeLatency('p50'), key: 'writeLatency.p50', label: 'write latency p50', meaning: 'what a commit costs: send to acknowledgement of the acknowledged writes, median (workloads.ledger.writeLatency.p50)', unit: 'ms'},
  {figure: writeLatency('p99'), key: 'writeLatency.p99', label: 'write latency p99', meaning: 'the same, 99th percentile: the writes that waited out the outage show here (workloads.ledger.writeLatency.p99)', unit: 'ms'},
  {figure: measured('availability', trafficMissing('availability')), key: 'availability', label: 'availability', meaning: 'share of probes (or load requests, without a prober) that succeeded over the whole workload time (measurements.availability)', unit: 'percent'},
  {figure: measured('errorRate', trafficMissing('error rate')), key: 'errorRate', label: 'error rate', meaning: 'share that failed (measurements.errorRate)', unit: 'percent'},
  {figure: measured('p50', trafficMissing('latency')), key: 'p50', label: 'latency p50', meaning: 'latency of successful probes (or load requests), median (measurements.p50)', unit: 'ms'},
  {figure: measured('p99', trafficMissing('latency')), key: 'p99', label: 'latency p99', meaning: 'the same, 99th percentile (measurements.p99)', unit: 'ms'},
]

/** `files`: where each journal was read from, when not where the run wrote it (journal.paths.journal). */
export function compareJournals(journals: readonly Journal[], files: readonly string[] = []): Comparison {
  const runs = journals.map((journal, index) => ({file: journal.experiment.file, journal: files[index] ?? journal.paths.journal, runId: journal.runId, startedAt: journal.startedAt, title: journal.experiment.title, verdict: journal.verdict}))
  const rows: ComparedRow[] = [
    textRow('experiment', 'experiment', 'the experiment\'s title (experiment.title)', journals.map((journal) => journal.experiment.title)),
    {...textRow('verdict', 'verdict', 'the run\'s verdict (verdict); its reason is in each run\'s own report', journals.map((journal) => journal.verdict)), cells: journals.map((journal) => ({note: null, text: journal.verdict, tone: VERDICT_TONES[journal.verdict], value: null}))},
    ...FIGURES.map((spec) => figureRow(spec, journals)),
    ...sloNames(journals).map((name) => sloRow(name, journals)),
  ]
  return {rows, runs}
}

function textRow(key: string, label: string, meaning: string, texts: string[]): ComparedRow {
  return {cells: texts.map((text) => ({note: null, text, tone: null, value: null})), delta: null, key, label, meaning, unit: 'text'}
}

function figureRow(spec: FigureSpec, journals: readonly Journal[]): ComparedRow {
  const cells = journals.map((journal): ComparedCell => {
    const figure = spec.figure(journal)
    if ('missing' in figure) return {note: figure.missing, text: 'n/a', tone: null, value: null}
    return {note: null, text: formatFigure(figure.value, spec.unit, figure.resolution ?? null), tone: null, value: figure.value}
  })
  return {cells, delta: delta(cells, spec.unit), key: spec.key, label: spec.label, meaning: spec.meaning, unit: spec.unit}
}

/** Resolution shown only where it is coarse enough to matter (failover time, RPO: the probe or write interval). */
function formatFigure(value: number, unit: Unit, resolution: number | null): string {
  if (unit === 'percent') return formatPercent(value)
  if (unit === 'count') return String(value)
  return resolution !== null && resolution >= 1 ? `${formatMs(value)} ±${formatMs(resolution)}` : formatMs(value)
}

function delta(cells: ComparedCell[], unit: Unit): string | null {
  if (cells.length !== 2) return null
  const [first, last] = cells.map((cell) => cell.value)
  if (first === null || first === undefined || last === null || last === undefined) return null
  const difference = last - first
  const sign = difference > 0 ? '+' : difference < 0 ? '−' : '±'
  const size = Math.abs(difference)
  if (unit === 'percent') return `${sign}${formatPercent(size).replace('%', ' pp')}`
  if (unit === 'count') return `${sign}${size}`
  return `${sign}${formatMs(size)}`
}

/** Every SLO any run judged, in the order they first appear. */
function sloNames(journals: readonly Journal[]): string[] {
  return [...new Set(journals.flatMap((journal) => journal.slos.map((slo) => slo.name)))]
}

const SLO_TONES: Record<SloResult['status'], Tone> = {fail: 'fail', inconclusive: 'warn', pass: 'pass'}

function sloRow(name: string, journals: readonly Journal[]): ComparedRow {
  const cells = journals.map((journal): ComparedCell => {
    const slo = journal.slos.find((result) => result.name === name)
    if (!slo) return {note: "the run's experiment declares no such SLO", text: 'n/a', tone: null, value: null}
    const observed = slo.observed === null ? '' : `, ${formatObserved(journal, slo)}`
    return {note: slo.status === 'inconclusive' ? slo.detail : null, text: `${slo.status} (${slo.objective}${observed})`, tone: SLO_TONES[slo.status], value: slo.observed}
  })
  return {cells, delta: null, key: `slo:${name}`, label: `SLO ${name}`, meaning: `the run's verdict on its ${name} SLO: status (objective, observed) (slos[])`, unit: 'text'}
}

/** The distinct notes in reading order (row by row, run by run), numbered from 1 for footnotes. */
export function footnotes(comparison: Comparison): Map<string, number> {
  const numbers = new Map<string, number>()
  for (const row of comparison.rows) for (const cell of row.cells) if (cell.note !== null && !numbers.has(cell.note)) numbers.set(cell.note, numbers.size + 1)
  return numbers
}
