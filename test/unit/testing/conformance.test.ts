/**
 * The kit must fail drivers that break the contract, not only pass good ones: a driver with a random plan, a
 * revert that never says already-reverted, an inject that ignores its signal and a fault kept only in memory
 * (so a fresh process cannot revert it).
 */
import {expect, it} from 'vitest'

import {formatReport, runConformance} from '../../../src/testing/index.js'
import broken, {active} from '../../helpers/broken-driver.js'

it('reports each broken rule as a named failed check', async () => {
  const report = await runConformance(broken, {
    declined: [{fault: 'partition', from: 'a', to: 'b'}],
    faults: [{fault: 'partition', from: 'a', to: 'b'}],
    module: new URL('../../helpers/broken-driver.ts', import.meta.url),
    topology: {links: [], regions: [{name: 'a', services: {}, tags: {}}, {name: 'b', services: {}, tags: {}}]},
  })
  const failed = report.failures.map((check) => check.name)
  expect(report.passed).toBe(false)
  expect(failed, formatReport(report)).toEqual([
    'plan is deterministic',
    'revert twice gives reverted then already-reverted',
    'revert without inject is harmless',
    'inject honours an aborted signal',
    'revert from the ledger in a fresh process',
    'declined faults are reported by plan',
    'every fault and action is exercised',
  ])
  expect(report.checks.find((check) => check.name === 'inject then verify shows the fault')?.status).toBe('passed')
  const fresh = report.failures.find((check) => check.name === 'revert from the ledger in a fresh process')
  expect(fresh?.detail).toContain('verify still sees the fault') // the child's revert could not reach this process's memory
  expect(active.size).toBe(0) // the kit reverted what it injected
}, 60_000)
