/** The game-day hook: asked before each fault, it can inject, skip or abort; notes land on the timeline. */
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {DriverRegistry} from '../../../src/drivers/registry.js'
import type {BeforeFault, FaultDecision, RunEvents} from '../../../src/engine/events.js'
import type {Journal} from '../../../src/engine/journal.js'
import {outstandingFaults, readLedger} from '../../../src/engine/ledger.js'
import {planExperiment, type PlannedFault} from '../../../src/engine/plan.js'
import {runExperiment} from '../../../src/engine/run-experiment.js'
import {toExperiment} from '../../../src/experiment/experiment.js'
import {experimentSchema} from '../../../src/experiment/schema.js'
import {createWorld, recordingDriver, type World} from '../../helpers/recording-driver.js'

let stateDir: string
let world: World
let worldName = ''
let counter = 0
const registry = new DriverRegistry([recordingDriver])

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'rift-gameday-'))
  worldName = `gameday-world-${++counter}`
  world = createWorld(worldName)
})
afterEach(async () => {
  await rm(stateDir, {force: true, recursive: true})
})

const outage = (extra: Record<string, unknown> = {}) => ({duration: '20ms', fault: 'region-outage', region: 'us-east', ...extra})
const latency = {duration: '20ms', fault: 'latency', from: 'us-east', latency: '10ms', to: 'eu-west'}

async function run(method: unknown[], beforeFault: BeforeFault, events: RunEvents = {}, signal?: AbortSignal): Promise<Journal> {
  const doc = experimentSchema.parse({
    driver: {recording: {world: worldName}},
    method,
    steadyState: [{expect: {equals: 'healthy'}, name: 'world is healthy', probe: 'recording.state'}],
    title: 'game day test',
    topology: {regions: ['us-east', 'eu-west']},
    version: 'rift/v1',
  })
  const experiment = toExperiment(doc, 'gameday-test.yaml')
  const plan = planExperiment(experiment, registry, `gameday-${counter}`)
  return runExperiment(experiment, plan, {beforeFault, events, registry, stateDir, ...(signal ? {signal} : {})})
}

describe('beforeFault', () => {
  it('is asked before each fault, with the planned step, before anything is ledgered or injected', async () => {
    const asked: string[] = []
    const journal = await run([outage(), {wait: '5ms'}, latency], async (step: PlannedFault): Promise<FaultDecision> => {
      asked.push(`${step.faultId} ${step.kind} ${step.durationMs}`)
      asked.push(`active before: ${world.active.size}`)
      return 'inject'
    })
    expect(asked).toEqual(['f1 region-outage 20', 'active before: 0', 'f2 latency 20', 'active before: 0'])
    expect(journal.verdict).toBe('passed')
    expect(world.log).toEqual(['inject f1', 'revert f1', 'inject f2', 'revert f2'])
  })

  it('skips a fault: never ledgered nor injected, on the timeline, and the run is inconclusive (exit 7)', async () => {
    const journal = await run([outage(), latency], (step) => (step.faultId === 'f1' ? 'skip' : 'inject'))
    expect(world.log).toEqual(['inject f2', 'revert f2'])
    expect(journal.faults.map((fault) => fault.id)).toEqual(['f2'])
    expect(journal.timeline.find((event) => event.event === 'fault:skipped')?.detail).toMatch(/^f1 region-outage on .*skipped by the operator/)
    expect(journal.verdict).toBe('inconclusive')
    expect(journal.exitCode).toBe(7)
    const ledger = await readFile(journal.paths.ledger, 'utf8')
    expect(ledger).not.toContain('"faultId":"f1"')
    expect(journal.steadyState.after).not.toBeNull()
  })

  it('aborts before anything was injected: verdict aborted (exit 4), no after-check, nothing left held', async () => {
    const journal = await run([outage(), latency], () => 'abort')
    expect(world.log).toEqual([])
    expect(journal).toMatchObject({exitCode: 4, verdict: 'aborted'})
    expect(journal.reason).toMatch(/the operator aborted the method before fault f1/)
    expect(journal.steadyState.after).toBeNull()
    expect(journal.timeline.some((event) => event.event === 'method:aborted')).toBe(true)
  })

  it('aborts after a fault went in: everything held is reverted and the verdict is interrupted (exit 130)', async () => {
    // f1 is held in the background while the operator is asked about f2.
    const journal = await run([outage({background: true, duration: '10s'}), latency], (step) => (step.faultId === 'f1' ? 'inject' : 'abort'))
    expect(world.log).toEqual(['inject f1', 'revert f1'])
    expect(world.active.size).toBe(0)
    expect(journal).toMatchObject({exitCode: 130, verdict: 'interrupted'})
    expect(journal.faults).toMatchObject([{id: 'f1', revert: 'reverted'}])
    expect(outstandingFaults(await readLedger(journal.paths.ledger))).toEqual([])
  })

  it('stops waiting when the run is interrupted during the prompt, and reverts what is held', async () => {
    const controller = new AbortController()
    let promptSignal: AbortSignal | undefined
    const journal = await run([outage({background: true, duration: '10s'}), latency], (step, signal) => {
      if (step.faultId === 'f1') return 'inject'
      promptSignal = signal
      setTimeout(() => controller.abort(), 20)
      return new Promise(() => {}) // the operator never answers
    }, {}, controller.signal)
    expect(promptSignal?.aborted).toBe(true)
    expect(journal.verdict).toBe('interrupted')
    expect(world.log).toEqual(['inject f1', 'revert f1'])
  })

  it('treats a prompt that throws as abort, with a warning', async () => {
    const journal = await run([outage()], () => {
      throw new Error('the terminal went away')
    })
    expect(world.log).toEqual([])
    expect(journal.verdict).toBe('aborted')
    expect(journal.warnings.join('\n')).toContain('the terminal went away')
  })
})

describe('notes', () => {
  it('land on the timeline as `note` events, in order, until the journal is written', async () => {
    let note: (text: string) => void = () => {}
    const events: RunEvents = {
      onRunEnd: () => note('too late'),
      onRunStart: (info) => {
        note = (text) => info.note(text)
        note('starting the game day')
      },
    }
    const journal = await run([outage()], (step) => {
      note(`about to inject ${step.faultId}`)
      return 'inject'
    }, events)
    const notes = journal.timeline.filter((event) => event.event === 'note').map((event) => event.detail)
    expect(notes).toEqual(['starting the game day', 'about to inject f1'])
    const onDisk = JSON.parse(await readFile(journal.paths.journal, 'utf8')) as Journal
    expect(onDisk.timeline.filter((event) => event.event === 'note')).toHaveLength(2)
  })
})
