/**
 * The comparison's table, taken from each run's journal and nothing else, and rendered for the terminal
 * and as Markdown. Each column says what it measures; a figure the run could not measure is `n/a`, never 0.
 */
import type {Journal} from '../../engine/journal.js'
import type {Verdict} from '../../engine/verdict.js'
import type {Variant} from './variants.js'

export interface Percentiles {
  p50: number
  p99: number
  count: number
}

export interface ComparisonRow {
  variant: string
  label: string
  runId: string
  journal: string
  verdict: Verdict
  /** measurements.failoverTime: from the outage's start until reads succeeded again (3 in a row), ms. */
  failoverMs: number | null
  failoverResolutionMs: number | null
  /** measurements.dataLoss: acknowledged writes not found when read back after recovery. */
  lostWrites: number | null
  ackedWrites: number | null
  /** Keys the read-back could not read (the loss is then not judged: lostWrites is null). */
  unreadableKeys: number | null
  /** Writes the client was told failed or that timed out (never acknowledged). */
  failedWrites: number | null
  /** workloads.ledger.windows (baseline): send → acknowledgement of the writes acknowledged before the outage, ms. */
  writeLatency: Percentiles | null
  /** workloads.windows (baseline): the prober's successful reads of one key through the router before the outage, ms. */
  readLatency: Percentiles | null
  /** The prober's availability in the outage's window (workloads.windows, kind fault), percent. */
  readAvailabilityDuringOutage: number | null
}

export interface Comparison {
  id: string
  dir: string
  startedAt: string
  outageMs: number
  /** The one-way delay put on every link between regions for the whole run, ms. */
  interRegionLatencyMs: number
  readKey: string
  /** The write ledger's rate. */
  writesPerSecond: number
  rows: ComparisonRow[]
  /** Variants that did not run (the comparison was interrupted first). */
  notRun: string[]
}

export const COLUMNS = [
  ['failover time', 'from the outage until clients read the key again (3 successful probes in a row, probe every 20 ms): measurements.failoverTime'],
  ['lost writes', 'acknowledged writes missing when every key was read back after recovery: measurements.dataLoss, of the acknowledged writes (workloads.ledger.attempts.acked); n/a when some keys could not be read back (workloads.ledger.counts.unreadable)'],
  ['failed writes', 'writes refused or timed out (never acknowledged, so not lost): workloads.ledger.attempts.failed + timeout'],
  ['write latency p50 / p99', 'what a write costs in normal operation: send → acknowledgement of the writes acknowledged through the router before the outage: workloads.ledger.windows, the baseline window'],
  ['read latency p50 / p99', 'what a read costs in normal operation: the prober\'s successful reads of one key through the router before the outage (every 20 ms): workloads.windows, the baseline window'],
  ['reads ok during outage', "share of the prober's reads that succeeded while the outage was held: workloads.windows (the fault window)"],
] as const

export function comparisonRow(variant: Variant, journal: Journal): ComparisonRow {
  const ledger = journal.workloads?.ledger ?? null
  const {failoverTime, dataLoss} = journal.measurements
  const outage = journal.workloads?.windows.find((window) => window.kind === 'fault') ?? null
  const reads = journal.workloads?.windows.find((window) => window.kind === 'baseline')?.latency ?? null
  const writes = ledger?.windows.find((window) => window.kind === 'baseline')?.latency ?? null
  return {
    ackedWrites: ledger?.attempts.acked ?? null,
    failedWrites: ledger ? ledger.attempts.failed + ledger.attempts.timeout : null,
    failoverMs: failoverTime?.value ?? null,
    failoverResolutionMs: failoverTime?.resolution ?? null,
    journal: journal.paths.journal,
    label: variant.label,
    lostWrites: dataLoss?.value ?? null,
    readAvailabilityDuringOutage: outage?.availability ?? null,
    readLatency: reads ? {count: reads.count, p50: reads.p50, p99: reads.p99} : null,
    runId: journal.runId,
    unreadableKeys: ledger?.counts.unreadable ?? null,
    variant: variant.id,
    verdict: journal.verdict,
    writeLatency: writes ? {count: writes.count, p50: writes.p50, p99: writes.p99} : null,
  }
}

const ms = (value: number): string => (value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`)

/** The cells of one row, as text, in COLUMNS' order after the pattern. */
export function cells(row: ComparisonRow): string[] {
  return [
    row.failoverMs === null ? 'n/a' : `${ms(row.failoverMs)} (±${row.failoverResolutionMs ?? '?'} ms)`,
    row.lostWrites !== null ? `${row.lostWrites} of ${row.ackedWrites ?? '?'}` : row.unreadableKeys ? `n/a (${row.unreadableKeys} keys unreadable)` : 'n/a',
    row.failedWrites === null ? 'n/a' : String(row.failedWrites),
    row.writeLatency === null ? 'n/a' : `${ms(row.writeLatency.p50)} / ${ms(row.writeLatency.p99)}`,
    row.readLatency === null ? 'n/a' : `${ms(row.readLatency.p50)} / ${ms(row.readLatency.p99)}`,
    row.readAvailabilityDuringOutage === null ? 'n/a' : `${Number(row.readAvailabilityDuringOutage.toFixed(1))}%`,
  ]
}

export const HEADER = ['pattern', ...COLUMNS.map(([name]) => name), 'verdict']

export function setting(comparison: Comparison): string {
  const latency = comparison.interRegionLatencyMs > 0 ? `${comparison.interRegionLatencyMs} ms one-way between regions (each way, on the replication links; sharded has none)` : 'no added latency between regions'
  return `us-east (the primary, or the key's home) taken off the network for ${comparison.outageMs} ms; ${latency}; 2 regions; ${comparison.writesPerSecond} writes/s.`
}

export function renderText(comparison: Comparison): string {
  const rows = [HEADER, ...comparison.rows.map((row) => [row.variant, ...cells(row), row.verdict])]
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd())
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '))
  return [setting(comparison), '', ...lines, ...(comparison.notRun.length > 0 ? ['', `not run (interrupted): ${comparison.notRun.join(', ')}`] : [])].join('\n')
}

const escapeCell = (text: string): string => text.replaceAll('|', '\\|')

export function renderMarkdown(comparison: Comparison): string {
  const lines = [
    '# rift sandbox compare',
    '',
    `Comparison \`${comparison.id}\`, ${comparison.startedAt}. ${setting(comparison)}`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...comparison.rows.map((row) => `| ${[row.label, ...cells(row), row.verdict].map(escapeCell).join(' | ')} |`),
    '',
    ...(comparison.notRun.length > 0 ? [`Not run (the comparison was interrupted): ${comparison.notRun.join(', ')}.`, ''] : []),
    'What each column measures (every figure is read from the run\'s journal):',
    '',
    ...COLUMNS.map(([name, meaning]) => `- **${name}**: ${meaning}.`),
    '',
    'The runs:',
    '',
    ...comparison.rows.map((row) => `- ${row.label}: run \`${row.runId}\`, journal \`${row.journal}\`, experiment \`${row.variant}.yaml\` in this folder`),
    '',
  ]
  return lines.join('\n')
}
