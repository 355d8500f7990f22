/**
 * What the live view shows, as plain data: the reporter fills it from the engine's events and the workloads'
 * live views; render.ts turns it into lines. Kept free of timers and terminals so both halves are testable.
 */
import type {Phase} from '../../engine/events.js'
import type {FaultRecord, Journal, ProbeRecord} from '../../engine/journal.js'
import type {PlannedFault, PlannedStep} from '../../engine/plan.js'
import type {WriteAttempt} from '../../workloads/ledger/writer.js'
import type {Sample} from '../../workloads/timeline.js'

/** Sparkline buckets: a quarter of a second each, the last 120 kept (30 s). */
export const BUCKET_MS = 250
const KEPT_BUCKETS = 120
const KEPT_PROBES = 6
const KEPT_EVENTS = 500

export interface Bucket {
  ok: number
  failed: number
  /** Latencies of the successful samples, ms. */
  latencies: number[]
}

export interface LiveFault {
  id: string
  kind: string
  target: string
  durationMs: number
  background: boolean
  /** Epoch ms when it went in; null while injecting. */
  injectedAtMs: number | null
  landed: boolean | null
  revert: FaultRecord['revert']
}

export interface LiveProberState {
  target: string
  intervalMs: number
  total: number
  ok: number
  /** Bucket index (floor(at / BUCKET_MS) on the run's clock) → figures. */
  buckets: Map<number, Bucket>
}

export interface LiveLedgerState {
  intervalMs: number
  issued: number
  dropped: number
  acked: number
  failed: number
  timeout: number
  /** Write latencies of the most recent acknowledged writes, ms. */
  recentLatencies: number[]
}

export interface LiveState {
  title: string
  runId: string
  runDir: string
  /** Epoch ms when the view started. */
  startedAtMs: number
  maxDurationMs: number | null
  phase: Phase | null
  /** A wait step or a fault being held: epoch ms when it ends. */
  wait: {label: string; untilMs: number} | null
  steps: PlannedStep[]
  faults: LiveFault[]
  probes: {name: string; ok: boolean; detail: string; phase: Phase}[]
  prober: LiveProberState | null
  ledger: LiveLedgerState | null
  /** What happened, one line each with the elapsed time: printed above the inline view, listed in full screen. */
  events: string[]
  warnings: number
  /** The game day: the fault awaiting the operator's word, and the note being typed. */
  gameday: boolean
  prompt: PlannedFault | null
  noteDraft: string | null
  notes: number
  journal: Journal | null
}

export function initialState(startedAtMs: number, gameday = false): LiveState {
  return {
    events: [],
    faults: [],
    gameday,
    journal: null,
    ledger: null,
    maxDurationMs: null,
    noteDraft: null,
    notes: 0,
    phase: null,
    probes: [],
    prober: null,
    prompt: null,
    runDir: '',
    runId: '',
    startedAtMs,
    steps: [],
    title: '',
    wait: null,
    warnings: 0,
  }
}

export function addEvent(state: LiveState, nowMs: number, text: string): string {
  const line = `+${((nowMs - state.startedAtMs) / 1000).toFixed(1)}s ${text}`
  state.events.push(line)
  if (state.events.length > KEPT_EVENTS) state.events.splice(0, state.events.length - KEPT_EVENTS)
  return line
}

export function recordProbe(state: LiveState, record: ProbeRecord, phase: Phase): void {
  state.probes.push({detail: record.error ?? record.detail, name: record.name, ok: record.ok && !record.error, phase})
  if (state.probes.length > KEPT_PROBES) state.probes.splice(0, state.probes.length - KEPT_PROBES)
}

/** A fault as the engine reported it, with its planned duration. */
export function recordFault(state: LiveState, record: FaultRecord): void {
  const planned = state.steps.find((step): step is PlannedFault => step.type === 'fault' && step.faultId === record.id)
  const existing = state.faults.find((fault) => fault.id === record.id)
  const fault: LiveFault = {
    background: planned?.background ?? false,
    durationMs: planned?.durationMs ?? 0,
    id: record.id,
    injectedAtMs: record.injectedAt === null ? null : Date.parse(record.injectedAt),
    kind: record.kind,
    landed: record.landed,
    revert: record.revert,
    target: record.target,
  }
  if (existing) Object.assign(existing, fault)
  else state.faults.push(fault)
}

export function addSamples(prober: LiveProberState, samples: readonly Sample[]): void {
  for (const sample of samples) {
    prober.total += 1
    const index = Math.floor(sample.at / BUCKET_MS)
    let bucket = prober.buckets.get(index)
    if (!bucket) prober.buckets.set(index, (bucket = {failed: 0, latencies: [], ok: 0}))
    if (sample.ok) {
      prober.ok += 1
      bucket.ok += 1
      bucket.latencies.push(sample.latencyMs)
    } else {
      bucket.failed += 1
    }
  }
  const newest = Math.max(...prober.buckets.keys())
  for (const index of prober.buckets.keys()) if (index <= newest - KEPT_BUCKETS) prober.buckets.delete(index)
}

export function addAttempts(ledger: LiveLedgerState, attempts: readonly WriteAttempt[]): void {
  for (const attempt of attempts) {
    if (attempt.outcome === 'acked') {
      ledger.acked += 1
      ledger.recentLatencies.push(attempt.endedAtMs - attempt.startedAtMs)
    } else if (attempt.outcome === 'timeout') ledger.timeout += 1
    else ledger.failed += 1
  }
  if (ledger.recentLatencies.length > 200) ledger.recentLatencies.splice(0, ledger.recentLatencies.length - 200)
}
