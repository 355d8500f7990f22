/**
 * Plain, timestamped progress lines on stderr: what CI logs want, and the default until the live terminal
 * view arrives. No control characters; stdout is left to the command's answer (or the --json journal).
 */
import type {Phase, RunEvents} from '../engine/events.js'
import type {FaultRecord, Journal, ProbeRecord} from '../engine/journal.js'
import {formatDuration} from '../util/duration.js'
import {loadLine} from './load-line.js'

const PHASE_TITLES: Record<Phase, string> = {
  method: 'method',
  plan: 'plan',
  preflight: 'preflight: guardrails and drivers',
  rollback: 'rollback: reverting everything still held',
  'steady-state-after': 'steady state after',
  'steady-state-before': 'steady state before',
  verdict: 'verdict',
}

/** One progress line on stderr, timestamped like the reporter's own. */
export function progressLine(text: string): void {
  process.stderr.write(`${new Date().toISOString()} ${text}\n`)
}

/** Rounded for people; the journal keeps full precision. */
function readable(value: number, unit: 'ms' | 'percent' | 'count'): string {
  if (unit === 'ms') return formatDuration(value)
  if (unit === 'percent') return `${Number(value.toFixed(2))}%`
  return String(value)
}

export class PlainReporter implements RunEvents {
  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(line + '\n')) {}

  onRunStart({experimentTitle, plan, runDir}: {experimentTitle: string; plan: {runId: string}; runDir: string}): void {
    this.#line(`run ${plan.runId}: ${experimentTitle}`)
    this.#line(`run folder ${runDir}`)
  }

  onPhase(phase: Phase): void {
    this.#line(`— ${PHASE_TITLES[phase]}`)
  }

  onProbe(record: ProbeRecord): void {
    this.#line(`  ${record.ok ? 'ok  ' : 'FAIL'} probe ${record.name}: ${record.detail}`)
  }

  onFaultInjected(record: FaultRecord): void {
    const landed = record.landed === null ? 'not verified' : record.landed ? 'landed' : 'DID NOT LAND'
    this.#line(`  inject ${record.id} ${record.kind} on ${record.target}: ${landed} (${record.landedDetail})`)
  }

  onFaultReverted(record: FaultRecord): void {
    const detail = record.revert === 'failed' ? `FAILED: ${record.revertError ?? 'unknown error'}` : record.revert
    this.#line(`  revert ${record.id} ${record.kind} on ${record.target}: ${detail}`)
  }

  onWait({label, ms}: {label: string; ms: number}): void {
    this.#line(label.startsWith('wait') ? `  ${label}` : `  ${label} (${formatDuration(ms)})`)
  }

  onWarning(message: string): void {
    this.#line(`  warning: ${message}`)
  }

  onRunEnd(journal: Journal): void {
    const {failover, ledger} = journal.workloads ?? {failover: null, ledger: null}
    if (failover?.rtoMs != null) this.#line(`  failover: clients saw errors for ${Math.round(failover.rtoMs)} ms after the fault (±${failover.resolutionMs} ms, ${failover.samples} samples)`)
    if (ledger) this.#line(`  writes: ${ledger.attempts.acked} acknowledged, ${ledger.lost.count} lost (RPO window ${Math.round(ledger.rpo.windowMs)} ms), ${ledger.counts.corrupted} corrupted`)
    const load = loadLine(journal)
    if (load) this.#line(`  ${load}`)
    for (const slo of journal.slos) {
      const measured = journal.measurements[slo.name]
      const observed = slo.observed === null ? 'n/a' : measured ? readable(slo.observed, measured.unit) : String(slo.observed)
      this.#line(`  SLO ${slo.name} ${slo.objective}: ${slo.status} (observed ${observed}, ${slo.samples} samples)`)
    }
    this.#line(`verdict: ${journal.verdict} (exit ${journal.exitCode}) — ${journal.reason}`)
    this.#line(`journal ${journal.paths.journal}`)
    this.#line(`report ${journal.paths.dir}/report.html (with summary.md and junit.xml beside it)`)
  }

  #line(text: string): void {
    this.write(`${new Date().toISOString()} ${text}`)
  }
}
