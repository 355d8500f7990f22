/**
 * How reports show numbers and verdicts, so the Markdown summary, the HTML report and the JUnit file say the
 * same thing the same way. Rounded for people; the journal keeps full precision.
 */
import type {Journal, SloResult} from '../engine/journal.js'
import type {Verdict} from '../engine/verdict.js'
import {SLO_UNITS} from '../measure/objective.js'
import type {SloName} from '../experiment/schema.js'

export type Unit = 'ms' | 'percent' | 'count'

/** `0.8` → `0.8 ms`, `217.4` → `217 ms`, `4030` → `4.03 s`, `95000` → `1 min 35 s`. */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < 10) return `${trim(ms, 2)} ms`
  if (abs < 1000) return `${Math.round(ms)} ms`
  if (abs < 60_000) return `${trim(ms / 1000, 2)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`
}

export function formatPercent(value: number): string {
  return `${trim(value, 2)}%`
}

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      return formatMs(value)
    case 'percent':
      return formatPercent(value)
    case 'count':
      return String(value)
  }
}

/** The unit an SLO is measured in: the measurement's own, or the one its name implies. */
export function sloUnit(journal: Pick<Journal, 'measurements'>, slo: SloResult): Unit {
  return journal.measurements[slo.name]?.unit ?? SLO_UNITS[slo.name as SloName] ?? 'count'
}

/** `217 ms ±20 ms`, `96.07%`, or `not measured`. */
export function formatObserved(journal: Pick<Journal, 'measurements'>, slo: SloResult): string {
  if (slo.observed === null) return 'not measured'
  const unit = sloUnit(journal, slo)
  const value = formatValue(slo.observed, unit)
  return unit === 'ms' && slo.resolution !== null && slo.resolution >= 1 ? `${value} ±${formatMs(slo.resolution)}` : value
}

/** How a verdict or a status is coloured: report.html's cards and badges, the comparison's cells. */
export type Tone = 'pass' | 'fail' | 'warn'

export const VERDICT_TONES: Record<Verdict, Tone> = {
  aborted: 'warn',
  error: 'fail',
  failed: 'fail',
  inconclusive: 'warn',
  interrupted: 'warn',
  passed: 'pass',
  'rollback-incomplete': 'fail',
}

export const VERDICT_HEADLINES: Record<Verdict, string> = {
  aborted: 'Aborted before injecting anything',
  error: 'Error during the run',
  failed: 'Failed: a finding',
  inconclusive: 'Inconclusive',
  interrupted: 'Interrupted',
  passed: 'Passed',
  'rollback-incomplete': 'Rollback incomplete: something may still be faulted',
}

/** What each verdict asks of the reader: the same words in docs/ci.md. */
export const VERDICT_MEANINGS: Record<Verdict, string> = {
  aborted: 'The steady state did not hold or a guardrail refused, so nothing was injected. Make the system healthy (or fix the probe) and run again.',
  error: 'A driver, probe or workload failed during the run; everything was reverted. Read the errors below: this is about the tooling or its access, not a finding about the system.',
  failed: 'The system did not meet an SLO or its hypothesis: a real finding about resilience.',
  inconclusive: 'Nothing wrong was found, but nothing can be claimed either: a fault did not land, or too few samples were measured to judge an SLO.',
  interrupted: 'The run was stopped by a signal; everything was reverted. Run it again to get a verdict.',
  passed: 'The hypothesis held, every SLO was met and everything was reverted.',
  'rollback-incomplete': 'At least one fault could not be reverted and may still be active: finish the rollback before anything else.',
}

/** Milliseconds since the run started for an ISO time in the journal, or null. */
export function msSinceStart(journal: Pick<Journal, 'startedAt'>, iso: string | null): number | null {
  if (iso === null) return null
  const at = Date.parse(iso)
  return Number.isNaN(at) ? null : at - Date.parse(journal.startedAt)
}

/** `2026-11-26 14:24:47 UTC`: unambiguous in a CI log read from anywhere. */
export function formatDate(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/**
 * Whether something may still be faulted: the verdict says so, or a fault's revert failed or was never
 * attempted (`pending`, only in the journal of a run that could not finish).
 */
export function rollbackIncomplete(journal: Journal): boolean {
  return journal.verdict === 'rollback-incomplete' || journal.faults.some((fault) => fault.revert === 'failed' || fault.revert === 'pending')
}

function trim(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)))
}
