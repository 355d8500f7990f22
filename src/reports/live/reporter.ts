/**
 * The live view's driver: keeps the state from the engine's events, polls the workloads' live views, and
 * redraws a few times a second (5 Hz) on a Screen. In a game day it also asks before each fault and takes
 * notes from the keyboard. Rendering is render.ts's; this file only wires events, time and the terminal.
 */
import type {BeforeFault, FaultDecision, Phase, RunEvents, RunStartInfo} from '../../engine/events.js'
import type {FaultRecord, Journal, ProbeRecord} from '../../engine/journal.js'
import type {LiveWorkloads} from '../../engine/live.js'
import type {PlannedFault} from '../../engine/plan.js'
import {applyKey, parseKeys} from './keys.js'
import {renderPanel, renderScreen, renderSummary, type View} from './render.js'
import {FullScreen, InlineScreen, type Screen} from './screen.js'
import {addAttempts, addEvent, addSamples, initialState, recordFault, recordProbe, type LiveState} from './state.js'

export const REDRAW_MS = 200

export interface LiveReporterOptions {
  /** Where the view is drawn: stderr, a TTY. */
  output: NodeJS.WriteStream
  color: boolean
  /** Game day: full screen, a prompt before each fault, notes from `input`. */
  gameday?: {input: NodeJS.ReadStream}
}

export class LiveReporter implements RunEvents {
  readonly state: LiveState
  readonly #screen: Screen
  readonly #color: boolean
  readonly #input: NodeJS.ReadStream | undefined
  #timer: NodeJS.Timeout | undefined
  #workloads: LiveWorkloads | undefined
  #cursors = {attempts: 0, samples: 0}
  #note: (text: string) => void = () => {}
  #answer: ((decision: FaultDecision) => void) | undefined
  #closed = false

  constructor(private readonly options: LiveReporterOptions) {
    this.#color = options.color
    this.#input = options.gameday?.input
    this.state = initialState(Date.now(), this.#input !== undefined)
    this.#screen = this.#input ? new FullScreen(options.output) : new InlineScreen(options.output)
  }

  /** Progress outside the engine (the sandbox starting and stopping), and signal notices. */
  say = (line: string): void => {
    this.#event(line)
  }

  onRunStart(info: RunStartInfo): void {
    Object.assign(this.state, {maxDurationMs: info.maxDurationMs, runDir: info.runDir, runId: info.plan.runId, steps: info.plan.steps, title: info.experimentTitle})
    this.#note = (text) => info.note(text)
    if (this.#input) this.#listen(this.#input)
    this.#event(`run ${info.plan.runId}: ${info.experimentTitle} (folder ${info.runDir})`)
    this.#timer = setInterval(() => this.#redraw(), REDRAW_MS)
    this.#timer.unref()
    this.#redraw()
  }

  onPhase(phase: Phase): void {
    this.state.phase = phase
    this.state.wait = null
    this.#event(`— ${phase}`)
  }

  onProbe(record: ProbeRecord, phase: Phase): void {
    recordProbe(this.state, record, phase)
    this.#event(`${record.ok && !record.error ? 'ok  ' : 'FAIL'} probe ${record.name}: ${record.error ?? record.detail}`)
  }

  onFaultInjected(record: FaultRecord): void {
    recordFault(this.state, record)
    const landed = record.landed === null ? 'not verified' : record.landed ? 'landed' : 'DID NOT LAND'
    this.#event(`inject ${record.id} ${record.kind} on ${record.target}: ${landed} (${record.landedDetail})`)
  }

  onFaultReverted(record: FaultRecord): void {
    recordFault(this.state, record)
    this.#event(`revert ${record.id} ${record.kind} on ${record.target}: ${record.revert === 'failed' ? `FAILED: ${record.revertError ?? 'unknown error'}` : record.revert}`)
  }

  onWait({label, ms}: {label: string; ms: number}): void {
    this.state.wait = {label, untilMs: Date.now() + ms}
    this.#redraw()
  }

  onWarning(message: string): void {
    this.state.warnings += 1
    this.#event(`warning: ${message}`)
  }

  onWorkloads(live: LiveWorkloads): void {
    this.#workloads = live
    if (live.prober) this.state.prober = {buckets: new Map(), intervalMs: live.prober.intervalMs, ok: 0, target: live.prober.target, total: 0}
    if (live.ledger) this.state.ledger = {acked: 0, dropped: 0, failed: 0, intervalMs: live.ledger.intervalMs, issued: 0, recentLatencies: [], timeout: 0}
  }

  onRunEnd(journal: Journal): void {
    this.state.journal = journal
    this.#poll()
    this.close()
    const summary = renderSummary(journal, {color: this.#color, width: this.#screen.size().columns - 1})
    // Full screen leaves nothing behind: the events go to the scrollback with the summary.
    const lines = this.#input ? [...this.state.events, ...summary] : summary
    this.options.output.write(`${lines.join('\n')}\n`)
  }

  /** The game day's question before each fault: the panel shows it until y, s or a (or an interruption). */
  beforeFault: BeforeFault = (step: PlannedFault, signal: AbortSignal) =>
    new Promise<FaultDecision>((resolve) => {
      this.state.prompt = step
      this.#event(`waiting for the operator: inject ${step.faultId} ${step.kind} on ${step.target}?`)
      const settle = (decision: FaultDecision, by = 'operator'): void => {
        signal.removeEventListener('abort', onAbort)
        this.#answer = undefined
        this.state.prompt = null
        this.#event(`${by}: ${decision} ${step.faultId}`)
        resolve(decision)
      }
      const onAbort = (): void => settle('abort', 'interrupted while waiting')
      signal.addEventListener('abort', onAbort, {once: true})
      this.#answer = settle
    })

  /** Gives the terminal back (main screen, cursor, cooked input); safe to call more than once. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    clearInterval(this.#timer)
    if (this.#input?.isRaw) {
      this.#input.setRawMode(false)
      this.#input.pause()
    }
    this.#screen.close()
  }

  #listen(input: NodeJS.ReadStream): void {
    input.setRawMode(true)
    input.setEncoding('utf8')
    input.on('data', (chunk: string) => {
      for (const key of parseKeys(chunk)) {
        const effect = applyKey(this.state, key)
        if (effect?.type === 'interrupt') process.kill(process.pid, 'SIGINT')
        if (effect?.type === 'decide') this.#answer?.(effect.decision)
        if (effect?.type === 'note') {
          this.#note(effect.text)
          this.state.notes += 1
          this.#event(`note: ${effect.text}`)
        }
      }
      this.#redraw()
    })
    input.resume()
  }

  #event(text: string): void {
    const line = addEvent(this.state, Date.now(), text)
    if (this.#closed) return void this.options.output.write(`${line}\n`)
    this.#screen.print([line])
    this.#redraw()
  }

  #poll(): void {
    const live = this.#workloads
    if (!live) return
    if (live.prober && this.state.prober) {
      const {cursor, samples} = live.prober.samplesSince(this.#cursors.samples)
      this.#cursors.samples = cursor
      addSamples(this.state.prober, samples)
    }
    if (live.ledger && this.state.ledger) {
      const {attempts, cursor} = live.ledger.attemptsSince(this.#cursors.attempts)
      this.#cursors.attempts = cursor
      addAttempts(this.state.ledger, attempts)
      this.state.ledger.issued = live.ledger.issued()
      this.state.ledger.dropped = live.ledger.dropped()
    }
  }

  #redraw(): void {
    if (this.#closed || !this.state.runId) return
    this.#poll()
    const {columns, rows} = this.#screen.size()
    const view: View = {color: this.#color, height: rows, nowMs: Date.now(), runNowMs: this.#workloads ? this.#workloads.clock.now() : null, width: columns - 1}
    this.#screen.draw(this.#input ? renderScreen(this.state, view) : renderPanel(this.state, view))
  }
}
