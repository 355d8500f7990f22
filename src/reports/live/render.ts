/**
 * The live view as pure functions of its state: `renderPanel` (the status block redrawn in place),
 * `renderScreen` (the full-screen game-day layout) and `renderSummary` (the SLO table and the verdict,
 * printed once at the end). Every line is cut to the terminal's width, so a redraw never wraps.
 */
import type {Phase} from '../../engine/events.js'
import type {Journal} from '../../engine/journal.js'
import {formatDuration} from '../../util/duration.js'
import {loadLine} from '../load-line.js'
import {BUCKET_MS, type LiveState} from './state.js'
import {bar, fit, median, padEnd, painter, percent, shortDuration, sparkline, type Paint} from './text.js'

export interface View {
  /** Epoch ms: countdowns and elapsed time. */
  nowMs: number
  /** The run's clock (ms since the run started), for the sparkline's buckets; null before the workloads start. */
  runNowMs: number | null
  width: number
  /** Full screen only: the number of rows to fill. */
  height?: number
  color: boolean
}

const PHASES: Record<Phase, string> = {
  method: 'method',
  plan: 'plan',
  preflight: 'preflight',
  rollback: 'rollback',
  'steady-state-after': 'steady state after',
  'steady-state-before': 'steady state before',
  verdict: 'verdict',
}

export function renderPanel(state: LiveState, view: View): string[] {
  const paint = painter(view.color)
  const lines: string[] = []
  const elapsed = view.nowMs - state.startedAtMs
  lines.push(`${paint('bold', 'rift')} ${state.title}`)
  const status = [`run ${state.runId}`, shortDuration(elapsed), paint('cyan', state.phase ? PHASES[state.phase] : 'starting')]
  if (state.wait) status.push(`${state.wait.label} (${shortDuration(Math.max(0, state.wait.untilMs - view.nowMs))} left)`)
  if (state.maxDurationMs !== null && state.journal === null) status.push(`guardrail ${shortDuration(Math.max(0, state.maxDurationMs - elapsed))} left`)
  lines.push(status.join(' · '))
  lines.push(...faultLines(state, view, paint))
  lines.push(...probeLines(state, paint))
  lines.push(...proberLines(state, view, paint))
  lines.push(...ledgerLines(state))
  if (state.warnings > 0) lines.push(paint('yellow', `${state.warnings} warning(s): see the events above and the journal`))
  return lines.map((line) => fit(line, view.width))
}

function faultLines(state: LiveState, view: View, paint: Paint): string[] {
  const planned = state.steps.filter((step) => step.type === 'fault').length
  if (planned === 0) return []
  const lines = [`faults (${state.faults.filter((fault) => fault.injectedAtMs !== null).length} of ${planned} injected)`]
  for (const fault of state.faults) {
    const reverted = fault.revert === 'reverted' || fault.revert === 'already-reverted'
    const landed = fault.landed === null ? 'not verified' : fault.landed ? 'landed' : paint('red', 'DID NOT LAND')
    let timing: string
    if (fault.revert === 'failed') timing = paint('red', 'REVERT FAILED')
    else if (reverted) timing = 'reverted'
    else if (fault.injectedAtMs === null) timing = 'injecting'
    else {
      const held = view.nowMs - fault.injectedAtMs
      timing = `${bar(held / Math.max(1, fault.durationMs), 12)} ${held >= fault.durationMs ? 'reverting' : `${shortDuration(fault.durationMs - held)} left`}`
    }
    const active = !reverted && fault.injectedAtMs !== null && fault.revert !== 'failed'
    // The countdown before the target, which can be long: a narrow terminal cuts the target, not the time.
    const text = `  ${fault.id} ${fault.kind}  ${timing}  ${landed}  on ${fault.target}`
    lines.push(active ? paint('yellow', text) : text)
  }
  return lines
}

function probeLines(state: LiveState, paint: Paint): string[] {
  if (state.probes.length === 0) return []
  return [
    'probes',
    ...state.probes.slice(-3).map((probe) => `  ${probe.ok ? paint('green', 'ok  ') : paint('red', 'FAIL')} ${probe.name}: ${probe.detail} (${PHASES[probe.phase]})`),
  ]
}

const LABEL = 10

function proberLines(state: LiveState, view: View, paint: Paint): string[] {
  const prober = state.prober
  if (!prober) return []
  const header = `prober  GET ${prober.target} every ${shortDuration(prober.intervalMs)} · ${prober.total} probes, ${percent(prober.total === 0 ? null : (100 * prober.ok) / prober.total)} ok overall`
  const newest = view.runNowMs === null ? Math.max(-1, ...prober.buckets.keys()) : Math.floor(view.runNowMs / BUCKET_MS)
  const count = Math.max(8, Math.min(60, view.width - LABEL - 36))
  const buckets = Array.from({length: count}, (_, offset) => prober.buckets.get(newest - count + 1 + offset) ?? null)
  const rates = buckets.map((bucket) => (bucket && bucket.ok + bucket.failed > 0 ? (100 * bucket.ok) / (bucket.ok + bucket.failed) : null))
  const medians = buckets.map((bucket) => (bucket ? median(bucket.latencies) : null))
  const shownMs = count * BUCKET_MS
  const recent = buckets.filter((bucket) => bucket !== null)
  const okRecent = recent.reduce((sum, bucket) => sum + bucket.ok, 0)
  const allRecent = recent.reduce((sum, bucket) => sum + bucket.ok + bucket.failed, 0)
  const latencies = recent.flatMap((bucket) => bucket.latencies)
  const worst = latencies.length > 0 ? Math.max(...latencies) : null
  const p50 = median(latencies)
  const rateText = `${percent(allRecent === 0 ? null : (100 * okRecent) / allRecent)} ok, last ${shortDuration(shownMs)}`
  // Each bucket coloured on its own: green when every probe in it succeeded, red otherwise.
  const successLine = [...sparkline(rates, {floorGlyph: '×', max: 100})].map((glyph, index) => (glyph === ' ' ? glyph : paint(rates[index] === 100 ? 'green' : 'red', glyph))).join('')
  return [
    header,
    `  ${padEnd('success', LABEL)}${successLine}  ${rateText}`,
    `  ${padEnd('latency', LABEL)}${sparkline(medians, {max: Math.max(1, ...medians.map((value) => value ?? 0))})}  p50 ${p50 === null ? 'n/a' : shortDuration(p50)} · max ${worst === null ? 'n/a' : shortDuration(worst)}`,
  ]
}

function ledgerLines(state: LiveState): string[] {
  const ledger = state.ledger
  if (!ledger) return []
  const inFlight = Math.max(0, ledger.issued - ledger.acked - ledger.failed - ledger.timeout)
  const p50 = median(ledger.recentLatencies)
  return [
    `ledger  ${ledger.issued} writes sent · ${ledger.acked} acked · ${ledger.failed} failed · ${ledger.timeout} timed out · ${inFlight} in flight · ${ledger.dropped} dropped · write p50 ${p50 === null ? 'n/a' : shortDuration(p50)} (recent)`,
    '  lost writes are counted after recovery, when every key is read back',
  ]
}

/** The game day, full screen: the panel, the latest events, and the prompt or the note being typed. */
export function renderScreen(state: LiveState, view: View): string[] {
  const paint = painter(view.color)
  const height = Math.max(6, view.height ?? 24)
  const panel = renderPanel(state, view)
  const footer = footerLines(state, paint).map((line) => fit(line, view.width))
  const room = Math.max(0, height - panel.length - footer.length - 2)
  const events = room > 0 ? state.events.slice(-room) : []
  const lines = [...panel, paint('dim', '─'.repeat(Math.max(0, view.width - 1))), ...events.map((line) => fit(line, view.width))]
  while (lines.length < height - footer.length) lines.push('')
  return [...lines.slice(0, Math.max(0, height - footer.length)), ...footer]
}

function footerLines(state: LiveState, paint: Paint): string[] {
  if (state.journal) return [paint('bold', `verdict: ${state.journal.verdict}`)]
  if (state.noteDraft !== null) return [paint('inverse', ` note> ${state.noteDraft}_ `), 'Enter saves the note on the timeline · Esc cancels']
  if (state.prompt) {
    const step = state.prompt
    return [
      paint('bold', `Next: ${step.faultId} ${step.kind} on ${step.target} for ${formatDuration(step.durationMs)}${step.background ? ' (in the background)' : ''}`),
      paint('inverse', ' y inject · s skip · a abort and roll back · n note · Ctrl-C halt and roll back '),
    ]
  }
  return [`game day · ${state.notes} note(s) · n note · Ctrl-C halt and roll back`]
}

/** Printed once at the end: what was measured, the SLO table and the verdict. */
export function renderSummary(journal: Journal, options: {color: boolean; width: number}): string[] {
  const paint = painter(options.color)
  const lines: string[] = []
  const {failover, ledger} = journal.workloads ?? {failover: null, ledger: null}
  if (failover?.rtoMs != null) lines.push(`failover: clients saw errors for ${shortDuration(failover.rtoMs)} after the fault (±${failover.resolutionMs ?? '?'} ms, ${failover.samples} samples)`)
  if (ledger) lines.push(`writes: ${ledger.attempts.acked} acknowledged, ${ledger.lost.count} lost (RPO window ${shortDuration(ledger.rpo.windowMs)}), ${ledger.counts.corrupted} corrupted`)
  const load = loadLine(journal)
  if (load) lines.push(load)
  if (journal.slos.length === 0) lines.push('SLOs: none declared')
  else {
    const rows = journal.slos.map((slo) => {
      const unit = journal.measurements[slo.name]?.unit
      const observed = slo.observed === null ? 'n/a' : unit === 'ms' ? shortDuration(slo.observed) : unit === 'percent' ? percent(slo.observed) : String(slo.observed)
      return [slo.name, slo.objective, observed, String(slo.samples), slo.status]
    })
    const header = ['SLO', 'objective', 'observed', 'samples', 'status']
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
    const row = (cells: string[]): string => cells.map((cell, column) => padEnd(cell, widths[column]!)).join('  ')
    lines.push(paint('bold', row(header).trimEnd()))
    for (const cells of rows) {
      const status = cells[4]!
      const coloured = status === 'pass' ? paint('green', status) : status === 'fail' ? paint('red', status) : paint('yellow', status)
      lines.push(`${row(cells.slice(0, 4))}  ${coloured}`)
    }
  }
  const verdict = journal.verdict === 'passed' ? paint('green', journal.verdict.toUpperCase()) : paint('red', journal.verdict.toUpperCase())
  lines.push(`verdict: ${verdict} (exit ${journal.exitCode}) — ${journal.reason}`)
  lines.push(`journal: ${journal.paths.journal}`)
  return lines.map((line) => fit(line, options.width))
}
