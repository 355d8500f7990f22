/** The live view's pure half: state in, lines out. */
import {describe, expect, it} from 'vitest'

import type {Journal} from '../../../src/engine/journal.js'
import type {PlannedFault} from '../../../src/engine/plan.js'
import {applyKey, parseKeys} from '../../../src/reports/live/keys.js'
import {renderPanel, renderScreen, renderSummary} from '../../../src/reports/live/render.js'
import {addAttempts, addSamples, BUCKET_MS, initialState, recordFault, type LiveState} from '../../../src/reports/live/state.js'
import {fit, sparkline, visibleLength} from '../../../src/reports/live/text.js'

const T0 = Date.parse('2026-11-26T12:00:00.000Z')
// eslint-disable-next-line no-control-regex -- control characters are what the test looks for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/

const fault: PlannedFault = {
  actions: [],
  background: true,
  driver: 'toxiproxy',
  durationMs: 4000,
  faultId: 'f1',
  regions: [],
  fidelity: [],
  index: 1,
  kind: 'region-outage',
  label: 'region-outage on us-east for 4s',
  params: {},
  state: {},
  target: 'links client-us-east',
  type: 'fault',
}

function runningState(): LiveState {
  const state = initialState(T0)
  Object.assign(state, {maxDurationMs: 120_000, phase: 'method', runDir: '/tmp/run', runId: '20261126-120000-abcd', steps: [fault], title: 'a us-east outage'})
  recordFault(state, {driver: 'toxiproxy', id: 'f1', injectedAt: new Date(T0 + 1000).toISOString(), kind: 'region-outage', landed: true, landedDetail: 'refused', revert: 'pending', revertedAt: null, target: 'links client-us-east'})
  state.prober = {buckets: new Map(), intervalMs: 20, ok: 0, target: 'http://127.0.0.1:1/region/health', total: 0}
  // 2 s of success at 2 ms, then 1 s of failures, then success at 8 ms.
  const samples = []
  for (let at = 0; at < 4000; at += 20) samples.push(at >= 2000 && at < 3000 ? {at, error: 'ECONNREFUSED', latencyMs: 1, ok: false} : {at, latencyMs: at < 2000 ? 2 : 8, ok: true})
  addSamples(state.prober, samples)
  state.ledger = {acked: 0, dropped: 0, failed: 0, intervalMs: 20, issued: 12, recentLatencies: [], timeout: 0}
  addAttempts(state.ledger, [
    {endedAtMs: 5, key: 'k-0', outcome: 'acked', seq: 0, startedAtMs: 2, value: 'v'},
    {endedAtMs: 9, key: 'k-1', outcome: 'failed', seq: 1, startedAtMs: 3, value: 'v'},
    {endedAtMs: 2009, key: 'k-2', outcome: 'timeout', seq: 2, startedAtMs: 9, value: 'v'},
  ])
  return state
}

describe('renderPanel', () => {
  it('shows the phase, the fault with its countdown, and the guardrail', () => {
    const lines = renderPanel(runningState(), {color: false, nowMs: T0 + 3500, runNowMs: 3500, width: 120})
    expect(lines[0]).toBe('rift a us-east outage')
    expect(lines[1]).toBe('run 20261126-120000-abcd · 3.5s · method · guardrail 1m56s left')
    // Injected at +1 s for 4 s: 2.5 s held, 1.5 s left.
    expect(lines).toContain('faults (1 of 1 injected)')
    expect(lines.find((line) => line.includes('f1 region-outage'))).toBe('  f1 region-outage  [########----] 1.5s left  landed  on links client-us-east')
  })

  it('draws the success and latency sparklines from the prober samples, failures as ×', () => {
    const lines = renderPanel(runningState(), {color: false, nowMs: T0 + 4000, runNowMs: 3999, width: 140})
    const success = lines.find((line) => line.startsWith('  success'))!
    // One glyph per 250 ms bucket: 8 full, 4 all-failed, 4 full; blanks before the prober started.
    expect(success).toContain(`${'█'.repeat(8)}${'×'.repeat(4)}${'█'.repeat(4)}`)
    expect(success).toMatch(/75% ok, last \d+\.\ds$/)
    const latency = lines.find((line) => line.startsWith('  latency'))!
    expect(latency).toContain(`${'▃'.repeat(8)}${' '.repeat(4)}${'█'.repeat(4)}`)
    expect(latency).toMatch(/p50 2\.0ms · max 8\.0ms$/)
    expect(lines.find((line) => line.startsWith('prober'))).toContain('200 probes, 75% ok overall')
    expect(lines.find((line) => line.startsWith('ledger'))).toBe('ledger  12 writes sent · 1 acked · 1 failed · 1 timed out · 9 in flight · 0 dropped · write p50 3.0ms (recent)')
  })

  it('never writes a line wider than the terminal, nor a control character without colour', () => {
    for (const width of [20, 40, 79, 200]) {
      const lines = renderPanel(runningState(), {color: false, nowMs: T0 + 3500, runNowMs: 3500, width})
      for (const line of lines) {
        expect(visibleLength(line)).toBeLessThanOrEqual(width)
        expect(line).not.toMatch(CONTROL)
      }
    }
  })

  it('colours only when asked, and keeps the width with colour codes', () => {
    const lines = renderPanel(runningState(), {color: true, nowMs: T0 + 3500, runNowMs: 3500, width: 50})
    expect(lines.join('\n')).toContain('\u001b[')
    for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(50)
  })

  it('shows a reverted fault as reverted and a failed revert loudly', () => {
    const state = runningState()
    recordFault(state, {driver: 'toxiproxy', id: 'f1', injectedAt: new Date(T0 + 1000).toISOString(), kind: 'region-outage', landed: true, landedDetail: '', revert: 'failed', revertError: 'boom', revertedAt: null, target: 'links client-us-east'})
    expect(renderPanel(state, {color: false, nowMs: T0 + 9000, runNowMs: null, width: 120}).join('\n')).toContain('REVERT FAILED')
    recordFault(state, {driver: 'toxiproxy', id: 'f1', injectedAt: new Date(T0 + 1000).toISOString(), kind: 'region-outage', landed: true, landedDetail: '', revert: 'reverted', revertedAt: new Date(T0 + 5000).toISOString(), target: 'links client-us-east'})
    expect(renderPanel(state, {color: false, nowMs: T0 + 9000, runNowMs: null, width: 120}).join('\n')).toContain('f1 region-outage  reverted  landed  on links client-us-east')
  })
})

describe('renderScreen (game day)', () => {
  it('fills the screen exactly, with the prompt at the bottom', () => {
    const state = runningState()
    state.gameday = true
    state.events = ['+0.1s run started', '+1.0s inject f1']
    state.prompt = {...fault, durationMs: 3000, faultId: 'f2', kind: 'latency', target: 'links repl-us-east-eu-west'}
    const lines = renderScreen(state, {color: false, height: 30, nowMs: T0 + 3500, runNowMs: 3500, width: 100})
    expect(lines).toHaveLength(30)
    expect(lines.at(-2)).toBe('Next: f2 latency on links repl-us-east-eu-west for 3s (in the background)')
    expect(lines.at(-1)).toContain('y inject · s skip · a abort and roll back · n note')
    expect(lines).toContain('+1.0s inject f1')
  })

  it('shows the note being typed', () => {
    const state = runningState()
    state.noteDraft = 'router slow to notice'
    const lines = renderScreen(state, {color: false, height: 20, nowMs: T0, runNowMs: 0, width: 100})
    expect(lines.at(-2)).toBe(' note> router slow to notice_ ')
  })
})

describe('keys', () => {
  it('parses raw input: characters, Enter, Backspace, Escape, Ctrl-C, and ignores arrow keys', () => {
    expect(parseKeys('ab\r\u007f\u0003\u001b[A\u001b').map((key) => (key.type === 'char' ? key.char : key.type))).toEqual(['a', 'b', 'enter', 'backspace', 'interrupt', 'escape'])
  })

  it('answers the prompt with y, s and a only while there is one; n starts a note that Enter saves', () => {
    const state = runningState()
    expect(applyKey(state, {char: 'y', type: 'char'})).toBeNull()
    state.prompt = fault
    expect(applyKey(state, {char: 'y', type: 'char'})).toEqual({decision: 'inject', type: 'decide'})
    expect(applyKey(state, {char: 'S', type: 'char'})).toEqual({decision: 'skip', type: 'decide'})
    expect(applyKey(state, {char: 'a', type: 'char'})).toEqual({decision: 'abort', type: 'decide'})
    applyKey(state, {char: 'n', type: 'char'})
    // While typing a note, y is just a letter.
    for (const key of parseKeys('yes!\u007f')) applyKey(state, key)
    expect(state.noteDraft).toBe('yes')
    expect(applyKey(state, {type: 'enter'})).toEqual({text: 'yes', type: 'note'})
    expect(state.noteDraft).toBeNull()
    applyKey(state, {char: 'n', type: 'char'})
    applyKey(state, {char: 'x', type: 'char'})
    applyKey(state, {type: 'escape'})
    expect(state.noteDraft).toBeNull()
    expect(applyKey(state, {type: 'interrupt'})).toEqual({type: 'interrupt'})
  })
})

describe('renderSummary', () => {
  it('tabulates the SLOs with pass, fail and inconclusive, and states the verdict', () => {
    const journal = {
      exitCode: 3,
      measurements: {availability: {resolution: 20, samples: 300, unit: 'percent', value: 96.06}, failoverTime: {resolution: 20, samples: 200, unit: 'ms', value: 223.2}},
      paths: {dir: '/r', journal: '/r/journal.json', ledger: '/r/ledger.jsonl'},
      reason: 'SLO availability >= 99% not met: observed 96.06',
      slos: [
        {detail: '', name: 'failoverTime', objective: '<= 5s', observed: 223.2, resolution: 20, samples: 200, status: 'pass'},
        {detail: '', name: 'availability', objective: '>= 99%', observed: 96.06, resolution: 20, samples: 300, status: 'fail'},
        {detail: 'nothing measured it', name: 'dataLoss', objective: '== 0', observed: null, resolution: null, samples: 0, status: 'inconclusive'},
      ],
      verdict: 'failed',
      workloads: null,
    } as unknown as Journal
    const lines = renderSummary(journal, {color: false, width: 120})
    expect(lines).toEqual([
      'SLO           objective  observed  samples  status',
      'failoverTime  <= 5s      223ms     200      pass',
      'availability  >= 99%     96.1%     300      fail',
      'dataLoss      == 0       n/a       0        inconclusive',
      'verdict: FAILED (exit 3) — SLO availability >= 99% not met: observed 96.06',
      'journal: /r/journal.json',
    ])
  })
})

describe('text', () => {
  it('sparkline scales values and leaves gaps for missing data', () => {
    expect(sparkline([0, 50, 100, null], {max: 100})).toBe('▁▅█ ')
    expect(sparkline([0, 100], {floorGlyph: '×', max: 100})).toBe('×█')
  })

  it('fit cuts to the width with an ellipsis and closes an open colour', () => {
    expect(fit('abcdef', 4)).toBe('abc…')
    expect(fit('\u001b[31mabcdef\u001b[0m', 4)).toBe('\u001b[31mabc…\u001b[0m')
    expect(fit('abc', 4)).toBe('abc')
  })

  it('buckets are BUCKET_MS wide', () => {
    expect(BUCKET_MS).toBe(250)
  })
})
