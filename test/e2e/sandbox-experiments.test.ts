/** The shipped sandbox experiments and `rift demo`, run as a user runs them: real sandbox, real proxy, real faults. */
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT, rift, workspace} from './cli.js'

const experiments = readdirSync(path.join(ROOT, 'experiments', 'sandbox')).filter((file) => file.endsWith('.yaml'))

describe('sandbox experiments', () => {
  it.each(experiments)('%s passes, with every fault landed and reverted', async (file) => {
    const cwd = await workspace()
    const result = await rift(['run', path.join(ROOT, 'experiments', 'sandbox', file), '--json'], cwd)
    const journal = JSON.parse(result.stdout)
    expect({code: result.code, reason: journal.reason}).toEqual({code: 0, reason: expect.any(String)})
    expect(journal.faults.length).toBeGreaterThan(0)
    for (const fault of journal.faults) expect(fault).toMatchObject({driver: 'toxiproxy', landed: true, revert: 'reverted'})
  })

  it('measures client-observed failover and lost writes for the flagship outage', async () => {
    const cwd = await workspace()
    const result = await rift(['run', path.join(ROOT, 'experiments', 'sandbox', 'active-passive-outage.yaml'), '--json'], cwd)
    const journal = JSON.parse(result.stdout)
    const {dataLoss, failoverTime} = journal.measurements
    // The outage refuses us-east's connections: clients see errors until the router has promoted eu-west.
    expect(failoverTime).toMatchObject({resolution: 20, unit: 'ms'})
    expect(failoverTime.value).toBeGreaterThan(0)
    expect(failoverTime.value).toBeLessThan(5000)
    expect(journal.workloads.failover.phases.map((p: {name: string}) => p.name)).toEqual(['fault-start', 'first-failure', 'last-failure', 'recovered'])
    expect(dataLoss).toMatchObject({unit: 'count'})
    expect(dataLoss.samples).toBeGreaterThan(100) // ~50 writes/s for ~6 s, read back after recovery
    expect(journal.slos.map((slo: {name: string; status: string}) => [slo.name, slo.status])).toEqual([['failoverTime', 'pass'], ['availability', 'pass']])
  })

  it('rift demo tells the story and passes in well under a minute', async () => {
    const cwd = await workspace()
    const started = Date.now()
    const result = await rift(['demo'], cwd)
    expect(result.code).toBe(0)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(result.stderr).toContain('rift demo: a region outage, end to end')
    expect(result.stderr).toMatch(/inject f1 region-outage .*: landed/)
    expect(result.stdout).toContain('PASSED: a us-east outage fails over to eu-west')
  })
})
