/**
 * Guardrails for live drivers, in the engine: the opt-in, both allowlists, the account check before
 * anything changes, regions a plan says it changes, checkpoints in the ledger, faults that end early,
 * and secrets kept out of what rift writes.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {z} from 'zod'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {confirmLiveRun} from '../../../src/cli/confirm-live.js'
import {defineDriver, type FaultDefinition} from '../../../src/drivers/define.js'
import {DriverRegistry} from '../../../src/drivers/registry.js'
import {outstandingFaults, readLedger} from '../../../src/engine/ledger.js'
import {assertLiveOptIn, planExperiment} from '../../../src/engine/plan.js'
import {redact, secretValues} from '../../../src/engine/redact.js'
import {runExperiment, type RunOptions} from '../../../src/engine/run-experiment.js'
import {toExperiment} from '../../../src/experiment/experiment.js'
import {experimentSchema, faultSchemas, type ExperimentInput} from '../../../src/experiment/schema.js'
import {createWorld, recordingDriver, type World} from '../../helpers/recording-driver.js'

let stateDir: string
let world: World
let worldName = ''
let counter = 0
let account = '111122223333'

/** The recording driver, declared live, with an account that the test decides. */
const liveDriver = defineDriver({
  ...recordingDriver,
  capabilities: {...recordingDriver.capabilities, blastRadius: 'cloud-account', live: true},
  identity: async () => ({account, principal: 'arn:aws:iam::111122223333:user/tester'}),
  name: 'live-recording',
})

/** A fault that changes a region its parameters do not name, and ledgers a before-image mid-inject. */
const sideways: FaultDefinition<World, {region: string}, {before: string | null; faultId: string}> = {
  params: z.object({region: z.string()}).passthrough(),
  plan: (params, context) => ({actions: [], fidelity: [], ok: true, regions: ['eu-west'], state: {before: null, faultId: context.faultId}, target: `sideways ${params.region}`}),
  async inject({checkpoint, client, state}) {
    await checkpoint?.({...state, before: 'the original'})
    client.active.add(state.faultId)
    throw new Error('broke after the before-image was ledgered')
  },
  async revert({client, state}) {
    client.log.push(`revert ${state.faultId} to ${state.before}`)
    return client.active.delete(state.faultId) ? 'reverted' : 'already-reverted'
  },
  summary: 'changes eu-west too',
}
const sidewaysDriver = defineDriver({...recordingDriver, faults: {'region-outage': {...sideways, params: faultSchemas['region-outage']} as never}, name: 'sideways'})

/** The recording driver, whose fault verifies as landed once and as gone afterwards (a stop condition fired). */
const base = recordingDriver.faults['region-outage']!
let verifications = 0
const fadingDriver = defineDriver({
  ...recordingDriver,
  faults: {'region-outage': {...base, verify: async (context) => (++verifications === 1 ? base.verify!(context) : {detail: 'gone early', landed: false})}},
  name: 'fading',
})

/** A driver that says how long one of its reverts may take. */
const impatientDriver = defineDriver({...recordingDriver, capabilities: {...recordingDriver.capabilities, revertTimeoutMs: 50}, name: 'impatient'})

const registry = new DriverRegistry([recordingDriver, liveDriver, sidewaysDriver, fadingDriver, impatientDriver])

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'rift-live-'))
  worldName = `live-world-${++counter}`
  world = createWorld(worldName)
  account = '111122223333'
})
afterEach(async () => {
  await rm(stateDir, {force: true, recursive: true})
})

const outage = (extra: Record<string, unknown> = {}) => ({duration: '30ms', fault: 'region-outage', region: 'us-east', ...extra})
const allow = {allowAccounts: ['111122223333'], allowRegions: ['us-east', 'eu-west']}

function experiment(driver: string, method: unknown[], extra: Partial<ExperimentInput> = {}) {
  const doc = experimentSchema.parse({
    driver: {[driver]: {world: worldName}},
    method,
    title: 'live test',
    topology: {regions: ['us-east', 'eu-west']},
    version: 'rift/v1',
    ...extra,
  })
  return toExperiment(doc, 'live-test.yaml')
}

function run(driver: string, method: unknown[], extra: Partial<ExperimentInput> = {}, options: Partial<RunOptions> = {}) {
  const exp = experiment(driver, method, extra)
  return runExperiment(exp, planExperiment(exp, registry, `run-${counter}`), {registry, stateDir, ...options})
}

describe('live drivers', () => {
  it('are refused in preflight without the run\'s opt-in, before connecting (exit 4)', async () => {
    const journal = await run('live-recording', [outage()], {guardrails: allow})
    expect(journal.exitCode).toBe(4)
    expect(journal.errors[0]).toMatchObject({code: 'RIFT_PREFLIGHT_FAILED', message: expect.stringMatching(/not started with --live/)})
    expect(journal.timeline.map((event) => event.event)).not.toContain('driver:connected')
    expect(world.log).toEqual([])
  })

  it('are refused without both allowlists', async () => {
    const journal = await run('live-recording', [outage()], {guardrails: {allowRegions: ['us-east']}}, {live: true})
    expect(journal.exitCode).toBe(4)
    expect(journal.reason).toMatch(/needs guardrails.allowAccounts and guardrails.allowRegions/)
    expect(world.log).toEqual([])
  })

  it('run when opted in and the account is allowed; the identity is in the timeline', async () => {
    const journal = await run('live-recording', [outage()], {guardrails: allow}, {live: true})
    expect(journal.verdict).toBe('passed')
    expect(journal.timeline).toContainEqual(expect.objectContaining({detail: 'live-recording: account 111122223333 as arn:aws:iam::111122223333:user/tester', event: 'driver:identity'}))
    expect(world.log).toEqual(['inject f1', 'revert f1'])
  })

  it('are refused when the credentials belong to another account, changing nothing', async () => {
    account = '999988887777'
    const journal = await run('live-recording', [outage()], {guardrails: allow}, {live: true})
    expect(journal.exitCode).toBe(4)
    expect(journal.reason).toMatch(/account 999988887777, which is not in guardrails.allowAccounts \[111122223333\]; nothing was changed/)
    expect(world.log).toEqual([])
  })

  it('a plan that uses one is refused by assertLiveOptIn unless the caller opted in', () => {
    const exp = experiment('live-recording', [outage()], {guardrails: allow})
    const plan = planExperiment(exp, registry, 'r1')
    expect(plan.drivers).toEqual([expect.objectContaining({live: true, name: 'live-recording'})])
    expect(() => assertLiveOptIn(plan, exp.file, false)).toThrow(expect.objectContaining({code: 'RIFT_LIVE_OPT_IN_REQUIRED'}))
    expect(() => assertLiveOptIn(plan, exp.file, true)).not.toThrow()
    const local = planExperiment(experiment('recording', [outage()]), registry, 'r1')
    expect(() => assertLiveOptIn(local, 'x', false)).not.toThrow()
  })

  it('are confirmed by --yes, or by a typed "yes" on a terminal; anything else refuses', async () => {
    const exp = experiment('live-recording', [outage()], {guardrails: allow})
    const plan = planExperiment(exp, registry, 'r1')
    await expect(confirmLiveRun(plan, exp, {interactive: false})).rejects.toMatchObject({code: 'RIFT_LIVE_NOT_CONFIRMED'})
    await expect(confirmLiveRun(plan, exp, {interactive: false, yes: true})).resolves.toBeUndefined()
    const questions: string[] = []
    await expect(confirmLiveRun(plan, exp, {ask: async (question) => (questions.push(question), 'no'), interactive: true})).rejects.toMatchObject({code: 'RIFT_LIVE_NOT_CONFIRMED'})
    await expect(confirmLiveRun(plan, exp, {ask: async () => 'yes', interactive: true})).resolves.toBeUndefined()
    expect(questions[0]).toMatch(/live-test.yaml changes real infrastructure through live-recording:\n {2}f1 region-outage on world fault f1\n/)
    expect(questions[0]).toMatch(/accounts allowed: 111122223333; regions allowed: us-east, eu-west\nType "yes" to go on: $/)
  })
})

describe('the engine, for drivers that act beyond their parameters', () => {
  it('checks the regions a plan says it changes against guardrails.allowRegions', async () => {
    const journal = await run('sideways', [outage()], {guardrails: {allowRegions: ['us-east']}})
    expect(journal.exitCode).toBe(4)
    expect(journal.reason).toMatch(/touches eu-west, outside guardrails.allowRegions \[us-east\]/)
  })

  it('ledgers a checkpoint at once, so a revert after a failed inject gets the before-image', async () => {
    const journal = await run('sideways', [outage()])
    expect(journal.verdict).toBe('error')
    expect(world.log).toEqual(['revert f1 to the original'])
    const entries = await readLedger(journal.paths.ledger)
    expect(entries.map((entry) => entry.type)).toEqual(['run-started', 'planned', 'checkpoint', 'reverted', 'run-ended'])
    // A fresh process would find the checkpointed state too.
    expect(outstandingFaults(entries.slice(0, 3))).toEqual([expect.objectContaining({state: {before: 'the original', faultId: 'f1'}})])
  })

  it('a fault that stops holding before its duration ends makes the run inconclusive (exit 7)', async () => {
    verifications = 0
    const journal = await run('fading', [outage({duration: '50ms'})])
    expect(verifications).toBe(2)
    expect(journal.exitCode).toBe(7)
    expect(journal.reason).toMatch(/fault f1 \(region-outage on world fault f1\) did not hold for its duration: gone early/)
    expect(journal.faults[0]).toMatchObject({landed: false, landedDetail: 'ended before its duration: gone early', revert: 'reverted'})
  })
})

describe('revert time limits', () => {
  it('a driver may declare its own limit for one revert', async () => {
    world.hangRevert.add('f1')
    const journal = await run('impatient', [outage({duration: '10ms'})])
    expect(journal.exitCode).toBe(6)
    expect(journal.faults[0]).toMatchObject({revert: 'failed', revertError: 'revert did not finish within 50 ms'})
  })
})

describe('secrets', () => {
  it('are the long values of credential-like environment variables', () => {
    expect(secretValues({AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE12345', AWS_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'abc/def+ghi0123', GITHUB_TOKEN: 'short', HOME: '/root'})).toEqual(['AKIAEXAMPLE12345', 'abc/def+ghi0123'])
  })

  it('are replaced wherever they appear', () => {
    expect(redact('key abc/def+ghi0123 and again abc/def+ghi0123.', ['abc/def+ghi0123'])).toBe('key [redacted] and again [redacted].')
  })
})
