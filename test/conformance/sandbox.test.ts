/** The sandbox driver offers probes only: the kit has nothing to inject, and says so rather than passing vacuously. */
import {expect, it} from 'vitest'

import sandbox from '../../src/drivers/sandbox/index.js'
import {runConformance} from '../../src/testing/index.js'

it('the sandbox driver injects nothing, so conformance has no fault to exercise', async () => {
  expect(Object.keys(sandbox.faults)).toEqual([])
  expect(Object.keys(sandbox.actions)).toEqual([])
  const report = await runConformance(sandbox, {
    config: {routerUrl: 'http://127.0.0.1:9'}, // connect only records it
    faults: [],
    topology: {links: [], regions: [{name: 'us-east', services: {}, tags: {}}]},
  })
  expect(report.passed).toBe(true)
  expect(report.checks).toEqual([{detail: '0 offered', fault: 'driver', name: 'every fault and action is exercised', status: 'passed'}])
})
