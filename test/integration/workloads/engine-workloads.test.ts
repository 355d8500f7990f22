/**
 * Workloads inside a real run of the engine, against a loopback HTTP server the test controls: the built-in
 * load generator's figures, guardrails.abortIf stopping the method when users see errors, a probe's value
 * judged as an SLO, and the k6 entry — run through a fake k6 binary, or falling back to the built-in
 * generator with a clear warning when no k6 is found.
 */
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdir, mkdtemp, readFile, rm, symlink} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {DriverRegistry} from '../../../src/drivers/registry.js'
import type {Journal} from '../../../src/engine/journal.js'
import {planExperiment} from '../../../src/engine/plan.js'
import {runExperiment} from '../../../src/engine/run-experiment.js'
import {toExperiment} from '../../../src/experiment/experiment.js'
import {experimentSchema, type ExperimentInput} from '../../../src/experiment/schema.js'
import {createWorld, recordingDriver} from '../../helpers/recording-driver.js'

const K6_FIXTURES = fileURLToPath(new URL('../../fixtures/k6/', import.meta.url))
const registry = new DriverRegistry([recordingDriver])
let stateDir: string
let worldName = ''
let counter = 0
let server: http.Server
let url = ''
/** While true the server answers 503: the "outage" users see. */
let failing = false
let requests = 0

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'rift-workloads-'))
  worldName = `workload-world-${++counter}`
  createWorld(worldName)
  failing = false
  requests = 0
  server = http.createServer((_request, response) => {
    requests += 1
    response.statusCode = failing ? 503 : 200
    response.end(failing ? 'down' : 'ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterEach(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await rm(stateDir, {force: true, recursive: true})
})

async function run(extra: Partial<ExperimentInput>, method: unknown[] = [{duration: '600ms', fault: 'region-outage', region: 'us-east'}]): Promise<Journal> {
  const doc = experimentSchema.parse({
    driver: {recording: {world: worldName}},
    method,
    title: 'workload test',
    topology: {regions: ['us-east', 'eu-west']},
    version: 'rift/v1',
    ...extra,
  })
  const experiment = toExperiment(doc, 'workloads.yaml')
  const plan = planExperiment(experiment, registry, `wl-run-${counter}`)
  return runExperiment(experiment, plan, {
    events: {
      onFaultInjected: () => void (failing = true),
      onFaultReverted: () => void (failing = false),
    },
    registry,
    stateDir,
  })
}

describe('the built-in load generator in a run', () => {
  it('measures requests per window and fills load.* and the unscoped figures when there is no prober', async () => {
    const journal = await run({workload: {load: {rate: '200/s', target: url}}}, [{wait: '300ms'}, {duration: '600ms', fault: 'region-outage', region: 'us-east'}, {wait: '300ms'}])
    const load = journal.workloads?.load
    expect(load?.engine).toBe('builtin')
    // ~0.6 s of fault plus the wait before and after at 200/s: hundreds of requests, all counted by the server.
    expect(load!.requests).toBeGreaterThan(100)
    // Every request the generator counted reached the test's server.
    expect(load!.requests).toBeLessThanOrEqual(requests)
    expect(load!.failed).toBeGreaterThan(10)
    const fault = load!.windows.find((window) => window.kind === 'fault')!
    expect(fault.samples).toBeGreaterThan(30)
    // Every request in the fault window got a 503.
    expect(fault.availability).toBeLessThan(10)
    const recovery = load!.windows.find((window) => window.kind === 'recovery')!
    expect(journal.measurements['load.errorRate']!.value).toBeCloseTo((load!.failed / load!.requests) * 100, 5)
    expect(journal.measurements.errorRate).toEqual(journal.measurements['load.errorRate'])
    expect(journal.measurements['load.p50']!.unit).toBe('ms')
    // The test's server recovers when the engine reports the revert, a moment after the recovery window opens.
    expect(recovery.availability).toBeGreaterThan(90)
    expect(load!.windows.find((window) => window.kind === 'baseline')!.availability).toBe(100)
    expect(recovery.samples + fault.samples).toBeLessThanOrEqual(load!.requests)
  }, 20_000)
})

describe('guardrails.abortIf', () => {
  it('stops the method when the error rate stays above the limit, rolls back, and says why (exit 5)', async () => {
    const started = Date.now()
    const journal = await run(
      {guardrails: {abortIf: {errorRate: '> 50%', for: '300ms'}}, workload: {load: {rate: '200/s', target: url}}},
      [{duration: '20s', fault: 'region-outage', region: 'us-east'}],
    )
    expect(journal.verdict).toBe('error')
    expect(journal.exitCode).toBe(5)
    expect(journal.reason).toMatch(/guardrails\.abortIf/)
    expect(journal.errors.map((error) => error.code)).toContain('RIFT_GUARDRAIL_TRIPPED')
    expect(journal.faults[0]!.revert).toBe('reverted')
    // Far sooner than the 20 s fault: about 1 s of trailing window + 300 ms held.
    expect(Date.now() - started).toBeLessThan(10_000)
  }, 20_000)

  it('watches the prober when there is no load', async () => {
    const journal = await run(
      {guardrails: {abortIf: {errorRate: '> 50%', for: '300ms'}}, workload: {prober: {interval: '20ms', target: url}}},
      [{duration: '20s', fault: 'region-outage', region: 'us-east'}],
    )
    expect(journal.exitCode).toBe(5)
    expect(journal.reason).toMatch(/guardrails\.abortIf/)
    expect(journal.faults[0]!.revert).toBe('reverted')
  }, 20_000)

  it('does not trip while the error rate stays under the limit', async () => {
    const journal = await run({guardrails: {abortIf: {errorRate: '> 99%', for: '5s'}}, workload: {load: {rate: '100/s', target: url}}})
    expect(journal.errors).toEqual([])
    expect(journal.verdict).toBe('passed')
  }, 20_000)
})

describe('SLOs on a probe value', () => {
  it('judges every reading of a named probe against the objective', async () => {
    const probe = {name: 'lag', probe: 'recording.number', params: {value: 42}}
    const pass = await run({slos: {'probe:lag': '<= 50'}, steadyState: [probe]}, [{wait: '10ms'}])
    expect(pass.slos).toEqual([expect.objectContaining({name: 'probe:lag', observed: 42, samples: 2, status: 'pass'})])
    const fail = await run({slos: {'probe:lag': '< 40'}, steadyState: [probe]}, [{wait: '10ms'}])
    expect(fail.slos[0]).toMatchObject({observed: 42, status: 'fail'})
    expect(fail.exitCode).toBe(3)
  })
})

/** A folder holding `k6`: a link to the fake k6. */
async function k6OnPath(): Promise<string> {
  const dir = path.join(stateDir, 'bin')
  await mkdir(dir)
  await symlink(path.join(K6_FIXTURES, 'fake-k6.mjs'), path.join(dir, 'k6'))
  return dir
}

describe('workload.k6', () => {
  let saved: NodeJS.ProcessEnv
  beforeEach(() => {
    saved = {...process.env}
  })
  afterEach(() => {
    process.env = saved
  })

  it('runs the script through k6 with the schedule as -e variables and turns exit 99 into failed SLOs (exit 3)', async () => {
    const record = path.join(stateDir, 'k6-record.json')
    Object.assign(process.env, {
      FAKE_K6_EXIT: '99',
      FAKE_K6_NDJSON: path.join(K6_FIXTURES, 'metrics.ndjson'),
      FAKE_K6_RECORD: record,
      FAKE_K6_SLEEP_MS: '200',
      FAKE_K6_SUMMARY: path.join(K6_FIXTURES, 'summary-fail.json'),
      // Found as `k6` on PATH, as a user's install would be.
      PATH: `${await k6OnPath()}${path.delimiter}${process.env.PATH ?? ''}`,
    })
    delete process.env.K6_BIN
    // k6 ends by itself (its script's schedule) before the method does.
    const journal = await run({workload: {k6: {env: {EXTRA: 'yes'}, script: 'load.js'}, load: {rate: '50/s', target: url}}}, [{wait: '1500ms'}])
    const seen = JSON.parse(await readFile(record, 'utf8')) as {argv: string[]}
    expect(seen.argv).toEqual(expect.arrayContaining(['-e', `RIFT_TARGET=${url}`, '-e', 'RIFT_RATE=50', '-e', 'EXTRA=yes']))
    expect(journal.workloads?.load).toMatchObject({engine: 'k6', k6: {exitCode: 99, kind: 'thresholds-failed'}})
    const k6Slos = journal.slos.filter((slo) => slo.name.startsWith('k6 '))
    expect(k6Slos.some((slo) => slo.status === 'fail')).toBe(true)
    expect(journal.verdict).toBe('failed')
    expect(journal.exitCode).toBe(3)
    // The built-in generator did not run as well.
    expect(requests).toBe(0)
  }, 20_000)

  it('stops a k6 still running when the run ends: thresholds k6 marked failed fail, those that held are inconclusive', async () => {
    const signals = path.join(stateDir, 'k6-signals.txt')
    Object.assign(process.env, {
      FAKE_K6_NDJSON: path.join(K6_FIXTURES, 'metrics.ndjson'),
      FAKE_K6_SIGNALS: signals,
      FAKE_K6_SLEEP_MS: '60000',
      FAKE_K6_SUMMARY: path.join(K6_FIXTURES, 'summary-fail.json'),
      K6_BIN: path.join(K6_FIXTURES, 'fake-k6.mjs'),
    })
    const journal = await run({workload: {k6: {script: 'load.js'}}}, [{wait: '800ms'}])
    expect(await readFile(signals, 'utf8')).toMatch(/SIGINT/)
    expect(journal.workloads?.load?.k6).toMatchObject({exitCode: 105, kind: 'aborted'})
    const k6Slos = journal.slos.filter((slo) => slo.name.startsWith('k6 '))
    expect(k6Slos.filter((slo) => slo.status === 'fail').length).toBeGreaterThan(0)
    expect(k6Slos.filter((slo) => slo.status === 'pass')).toEqual([])
    expect(journal.exitCode).toBe(3)
  }, 30_000)

  it('says clearly that k6 is missing and runs the built-in generator on the same schedule', async () => {
    Object.assign(process.env, {K6_BIN: path.join(stateDir, 'no-such-k6'), PATH: '/nonexistent'})
    const journal = await run({workload: {k6: {script: 'load.js'}, load: {rate: '100/s', target: url}}}, [{wait: '300ms'}])
    expect(journal.warnings.join('\n')).toMatch(/k6 not found/)
    expect(journal.workloads?.load?.engine).toBe('builtin')
    expect(journal.workloads!.load!.requests).toBeGreaterThan(10)
    expect(requests).toBeGreaterThan(10)
  }, 20_000)
})

describe('SLOs on a command probe', () => {
  it('reads a number a command prints', async () => {
    const probe = {command: {run: [process.execPath, '-e', 'console.log(412)']}, name: 'lag'}
    const journal = await run({slos: {'probe:lag': '<= 500'}, steadyState: [probe]}, [{wait: '10ms'}])
    expect(journal.slos[0]).toMatchObject({name: 'probe:lag', observed: 412, samples: 2, status: 'pass'})
  })
})
