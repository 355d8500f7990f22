import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {DriverRegistry} from '../../../src/drivers/registry.js'
import type {RunEvents} from '../../../src/engine/events.js'
import type {Journal} from '../../../src/engine/journal.js'
import {outstandingFaults, readLedger} from '../../../src/engine/ledger.js'
import {planExperiment} from '../../../src/engine/plan.js'
import {rollbackRun} from '../../../src/engine/rollback.js'
import {runExperiment, type RunOptions} from '../../../src/engine/run-experiment.js'
import {toExperiment} from '../../../src/experiment/experiment.js'
import {experimentSchema, type ExperimentInput} from '../../../src/experiment/schema.js'
import {createWorld, recordingDriver, type World} from '../../helpers/recording-driver.js'

let stateDir: string
let world: World
let worldName = ''
let counter = 0
const registry = new DriverRegistry([recordingDriver])

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'rift-engine-'))
  worldName = `world-${++counter}`
  world = createWorld(worldName)
})
afterEach(async () => {
  await rm(stateDir, {force: true, recursive: true})
})

const healthy = {expect: {equals: 'healthy'}, name: 'world is healthy', probe: 'recording.state'}
const outage = (extra: Record<string, unknown> = {}) => ({duration: '30ms', fault: 'region-outage', region: 'us-east', ...extra})

function experiment(method: unknown[], extra: Partial<ExperimentInput> = {}) {
  const doc = experimentSchema.parse({
    driver: {recording: {world: worldName}},
    method,
    steadyState: [healthy],
    title: 'engine test',
    topology: {regions: ['us-east', 'eu-west']},
    version: 'rift/v1',
    ...extra,
  })
  return toExperiment(doc, 'engine-test.yaml')
}

async function run(method: unknown[], extra: Partial<ExperimentInput> = {}, options: Partial<RunOptions> = {}): Promise<Journal> {
  const exp = experiment(method, extra)
  const plan = planExperiment(exp, registry, `run-${counter}`)
  world.ledgerFile = path.join(stateDir, 'runs', plan.runId, 'ledger.jsonl')
  return runExperiment(exp, plan, {registry, stateDir, ...options})
}

describe('the run', () => {
  it('passes, exits 0 and reverts every fault when the hypothesis holds', async () => {
    const journal = await run([outage(), {wait: '10ms'}])
    expect(journal.verdict).toBe('passed')
    expect(journal.exitCode).toBe(0)
    expect(journal.faults.map((f) => [f.id, f.revert, f.landed])).toEqual([['f1', 'reverted', true]])
    expect(world.active.size).toBe(0)
    expect(world.log).toEqual(['inject f1', 'revert f1'])
  })

  it('writes junit.xml, summary.md and report.html beside the journal', async () => {
    const journal = await run([outage()])
    expect((await readdir(journal.paths.dir)).sort()).toEqual(['journal.json', 'junit.xml', 'ledger.jsonl', 'report.html', 'summary.md'])
    expect(await readFile(path.join(journal.paths.dir, 'summary.md'), 'utf8')).toMatch(/^## ✅ Passed — engine test/)
    expect(await readFile(path.join(journal.paths.dir, 'junit.xml'), 'utf8')).toContain('<testcase classname="rift.rollback" name="every injected fault was reverted"')
  })

  it('records a report that cannot be written as a warning in the journal, with the verdict unchanged', async () => {
    process.env.GITHUB_STEP_SUMMARY = stateDir // a directory: appending to it fails
    try {
      const journal = await run([outage()])
      expect(journal.verdict).toBe('passed')
      const onDisk = JSON.parse(await readFile(journal.paths.journal, 'utf8')) as Journal
      expect(onDisk.warnings).toEqual([expect.stringMatching(/^could not write the GitHub step summary .*EISDIR/)])
    } finally {
      process.env.GITHUB_STEP_SUMMARY = ''
    }
  })

  it('writes the planned fault to the ledger, fsynced, before calling inject', async () => {
    await run([outage(), {duration: '30ms', fault: 'latency', from: 'us-east', latency: '10ms', to: 'eu-west'}])
    expect(world.ledgerHadPlanBeforeInject).toEqual(['f1', 'f2'])
  })

  it('writes journal.json in the run folder with the documented fields', async () => {
    const journal = await run([outage()])
    const onDisk = JSON.parse(await readFile(journal.paths.journal, 'utf8')) as Journal
    expect(onDisk).toEqual(journal)
    expect(Object.keys(onDisk)).toEqual(
      expect.arrayContaining(['schemaVersion', 'runId', 'experiment', 'verdict', 'exitCode', 'startedAt', 'endedAt', 'faults', 'slos', 'measurements']),
    )
    expect(onDisk.faults[0]).toMatchObject({driver: 'recording', id: 'f1', kind: 'region-outage', revert: 'reverted', target: 'world fault f1'})
    expect(onDisk.faults[0]!.injectedAt).toEqual(expect.any(String))
    expect(onDisk.faults[0]!.revertedAt).toEqual(expect.any(String))
  })
})

describe('rollback on every path', () => {
  it('reverts every injected fault when the after-hypothesis deviates, and fails with exit 3', async () => {
    const deviate = {action: 'recording.mark', duration: '10ms'}
    // The world turns unhealthy during the method and stays so: the after-check sees it.
    const events: RunEvents = {onFaultInjected: () => void (world.state = 'degraded')}
    const journal = await run([outage({background: true}), deviate], {}, {events})
    expect(journal.verdict).toBe('failed')
    expect(journal.exitCode).toBe(3)
    expect(journal.steadyState.after?.[0]?.ok).toBe(false)
    expect(journal.faults.every((f) => f.revert === 'reverted')).toBe(true)
    expect(world.active.size).toBe(0)
  })

  it('reverts after a probe throws in the method, and reports an error with exit 5', async () => {
    const journal = await run([outage({background: true, duration: '10s'}), {probe: 'recording.state'}], {}, {
      events: {onFaultInjected: () => void (world.probeThrows = true)},
    })
    expect(journal.verdict).toBe('error')
    expect(journal.exitCode).toBe(5)
    expect(journal.errors[0]).toMatchObject({code: 'RIFT_PROBE_FAILED', phase: 'method'})
    expect(world.log).toEqual(['inject f1', 'revert f1'])
    expect(world.active.size).toBe(0)
  })

  it('reverts a fault whose inject threw part-way, and stops the method there', async () => {
    world.failInject.add('f1')
    const journal = await run([outage(), outage()])
    expect(journal.verdict).toBe('error')
    expect(journal.errors[0]?.code).toBe('RIFT_INJECT_FAILED')
    expect(world.log).toEqual(['inject f1', 'revert f1'])
    expect(world.active.size).toBe(0)
  })

  it('never reverts, nor ledgers, a fault that was never injected', async () => {
    world.failInject.add('f1')
    const journal = await run([outage(), {wait: '10ms'}, outage()])
    expect(world.log).not.toContain('revert f2')
    expect(journal.faults.map((f) => f.id)).toEqual(['f1'])
    const ledger = await readLedger(journal.paths.ledger)
    expect(ledger.filter((e) => e.type === 'planned').map((e) => (e as {faultId: string}).faultId)).toEqual(['f1'])
  })

  it('reverts held faults in reverse order of injection', async () => {
    const controller = new AbortController()
    const journal = await run(
      [outage({background: true, duration: '10s'}), outage({background: true, duration: '10s'}), outage({background: true, duration: '10s'}), {wait: '10s'}],
      {},
      {events: {onFaultInjected: (r) => void (r.id === 'f3' && setTimeout(() => controller.abort(), 20))}, signal: controller.signal},
    )
    expect(journal.verdict).toBe('interrupted')
    expect(world.log).toEqual(['inject f1', 'inject f2', 'inject f3', 'revert f3', 'revert f2', 'revert f1'])
  })

  it('after SIGINT (the run signal aborts) stops the method, reverts, and exits 130', async () => {
    const controller = new AbortController()
    const started = performance.now()
    const journal = await run([outage({duration: '10s'}), outage()], {}, {
      events: {onFaultInjected: () => void setTimeout(() => controller.abort(), 20)},
      signal: controller.signal,
    })
    expect(performance.now() - started).toBeLessThan(5000)
    expect(journal.verdict).toBe('interrupted')
    expect(journal.exitCode).toBe(130)
    expect(world.log).toEqual(['inject f1', 'revert f1'])
    expect(journal.steadyState.after).toBeNull()
  })

  it('reports rollback-incomplete (exit 6) when one revert throws, and still runs the others', async () => {
    world.failRevert.add('f2')
    const controller = new AbortController()
    const journal = await run(
      [outage({background: true, duration: '10s'}), outage({background: true, duration: '10s'}), outage({background: true, duration: '10s'}), {wait: '10s'}],
      {},
      {events: {onFaultInjected: (r) => void (r.id === 'f3' && setTimeout(() => controller.abort(), 20))}, signal: controller.signal},
    )
    expect(journal.verdict).toBe('rollback-incomplete')
    expect(journal.exitCode).toBe(6)
    expect(world.log).toEqual(['inject f1', 'inject f2', 'inject f3', 'revert f3', 'revert f2', 'revert f1'])
    expect(journal.faults.map((f) => f.revert)).toEqual(['reverted', 'failed', 'reverted'])
    expect(journal.faults[1]?.revertError).toContain('refused')
    expect(journal.reason).toContain(`rift rollback --run ${journal.runId}`)
    const left = outstandingFaults(await readLedger(journal.paths.ledger))
    expect(left.map((f) => f.faultId)).toEqual(['f2'])
  })

  it('counts a revert that never settles as failed after its time limit, and moves on', async () => {
    world.hangRevert.add('f1')
    const controller = new AbortController()
    const journal = await run([outage({background: true, duration: '10s'}), outage({background: true, duration: '10s'})], {}, {
      events: {onFaultInjected: (r) => void (r.id === 'f2' && setTimeout(() => controller.abort(), 10))},
      revertTimeoutMs: 100,
      signal: controller.signal,
    })
    expect(journal.verdict).toBe('rollback-incomplete')
    expect(journal.faults.map((f) => f.revert)).toEqual(['failed', 'reverted'])
  })

  it('still reverts everything when every reporter hook throws', async () => {
    const boom = () => {
      throw new Error('reporter broke')
    }
    const events: RunEvents = {onFaultInjected: boom, onFaultReverted: boom, onPhase: boom, onProbe: boom, onRunEnd: boom, onRunStart: boom, onWait: boom}
    const journal = await run([outage()], {}, {events})
    expect(journal.verdict).toBe('passed')
    expect(world.active.size).toBe(0)
    expect(journal.warnings.some((w) => w.includes('reporter broke'))).toBe(true)
  })

  it('stops the method when a fault cannot be reverted at the end of its duration, and retries it in the final unwind', async () => {
    world.failRevert.add('f1')
    const journal = await run([outage(), outage()])
    // No second fault on top of one that will not go away; no after-check of a system still under fault.
    expect(world.log).toEqual(['inject f1', 'revert f1', 'revert f1'])
    expect(journal.verdict).toBe('rollback-incomplete')
    expect(journal.steadyState.after).toBeNull()
  })

  it('reports an error (exit 5), not a pass, when a revert failed mid-run but succeeded on retry', async () => {
    world.failRevert.add('f1')
    const journal = await run([outage(), outage()], {}, {events: {onFaultReverted: () => void world.failRevert.clear()}})
    expect(world.log).toEqual(['inject f1', 'revert f1', 'revert f1'])
    expect(journal.verdict).toBe('error')
    expect(journal.faults[0]?.revert).toBe('reverted')
    expect(world.active.size).toBe(0)
  })
})

describe('refusals and inconclusive results', () => {
  it('aborts with exit 4 and injects nothing when the steady state is not met before', async () => {
    world.state = 'degraded'
    const journal = await run([outage()])
    expect(journal.verdict).toBe('aborted')
    expect(journal.exitCode).toBe(4)
    expect(world.log).toEqual([])
    expect(journal.errors[0]?.code).toBe('RIFT_STEADY_STATE_NOT_MET')
  })

  it('is inconclusive (exit 7), never a pass, when a fault does not land', async () => {
    world.notLanding.add('f1')
    const journal = await run([outage()])
    expect(journal.verdict).toBe('inconclusive')
    expect(journal.exitCode).toBe(7)
    expect(journal.faults[0]?.landed).toBe(false)
    expect(world.active.size).toBe(0)
  })

  it('is inconclusive when an SLO has nothing to measure it', async () => {
    const journal = await run([outage()], {slos: {failoverTime: '<= 10s'}})
    expect(journal.verdict).toBe('inconclusive')
    expect(journal.slos[0]).toMatchObject({name: 'failoverTime', objective: '<= 10s', observed: null, samples: 0, status: 'inconclusive'})
  })

  it('reports an error (exit 5) and injects nothing when a driver cannot connect', async () => {
    world.failConnect = true
    const journal = await run([outage()])
    expect(journal.verdict).toBe('error')
    expect(journal.exitCode).toBe(5)
    expect(journal.errors[0]?.code).toBe('RIFT_DRIVER_UNREACHABLE')
    expect(world.log).toEqual([])
  })

  it('refuses (exit 4) a fault on a region outside guardrails.allowRegions', async () => {
    const journal = await run([outage()], {guardrails: {allowRegions: ['eu-west']}})
    expect(journal.verdict).toBe('aborted')
    expect(journal.errors[0]?.code).toBe('RIFT_PREFLIGHT_FAILED')
    expect(world.log).toEqual([])
  })

  it('stops the method at guardrails.maxDuration and reverts what it holds', async () => {
    const journal = await run([outage({duration: '10s'})], {guardrails: {maxDuration: '150ms'}})
    expect(journal.verdict).toBe('error')
    expect(journal.errors[0]?.code).toBe('RIFT_GUARDRAIL_TRIPPED')
    expect(journal.durationMs).toBeLessThan(5000)
    expect(world.active.size).toBe(0)
  })
})

describe('rift rollback from the ledger', () => {
  it('reverts what a run left behind in a fresh registry, and a second rollback finds nothing', async () => {
    world.failRevert.add('f1')
    const journal = await run([outage()])
    expect(journal.verdict).toBe('rollback-incomplete')
    expect(world.active.size).toBe(1)

    world.failRevert.clear()
    const fresh = new DriverRegistry([recordingDriver])
    const first = await rollbackRun(journal.runId, {registry: fresh, stateDir})
    expect(first.faults).toMatchObject([{faultId: 'f1', outcome: 'reverted'}])
    expect(world.active.size).toBe(0)

    const second = await rollbackRun(journal.runId, {registry: fresh, stateDir})
    expect(second.faults).toEqual([])
  })
})
