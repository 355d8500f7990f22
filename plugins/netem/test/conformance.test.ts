/**
 * The netem driver through rift's conformance kit, as root, in a lab of its own: the kit's connect creates the
 * namespaces, every fault is injected, verified from the kernel's qdiscs and reverted (once by a fresh process
 * that loads the built plugin), and disconnect removes the lab. Nothing of the lab may be left afterwards.
 */
import {formatReport, runConformance} from 'rift/testing'
import {existsSync} from 'node:fs'
import {afterAll, describe, expect, it} from 'vitest'

import netem from '../src/driver.js'
import {destroyLab} from '../src/lab.js'
import {DIST, isRoot, labNamespaces, netemSupported, uniqueLab} from './helpers.js'

const lab = uniqueLab('c')
const regions = ['us-east', 'eu-west']
const topology = {links: [], regions: regions.map((name) => ({name, services: {}, tags: {}}))}

afterAll(async () => {
  if (isRoot) await destroyLab(lab, regions) // only if a failure left it
})

describe.skipIf(!isRoot)('netem conformance (root)', () => {
  it('passes the conformance kit, and leaves no namespace behind', async () => {
    const netemKernel = netemSupported()
    const report = await runConformance(netem, {
      config: {lab},
      declined: [
        {fault: 'region-outage', mode: 'reject', region: 'us-east'},
        {fault: 'partition', from: 'us-east', to: 'mars'},
        {fault: 'dns-failover', region: 'us-east'},
        {action: 'netem.loss', params: {from: 'us-east', percent: 10, to: 'us-east'}},
      ],
      faults: [
        {fault: 'region-outage', region: 'us-east'},
        {direction: 'one-way', fault: 'partition', from: 'us-east', to: 'eu-west'},
        {fault: 'bandwidth', from: 'clients', kilobytesPerSecond: 64, to: 'eu-west'},
        {action: 'netem.loss', params: {from: 'eu-west', percent: 25, to: 'us-east'}},
        {fault: 'latency', from: 'us-east', jitter: '5ms', latency: '40ms', to: 'eu-west'},
      ],
      module: DIST,
      timeoutMs: 60_000,
      topology,
    })
    // On a kernel without sch_netem (such as this project's CI machines), latency cannot be injected: the
    // driver must say so, and every other fault must still conform.
    if (process.env.SHOW_REPORT) console.log(formatReport(report))
    const latencyFailures = report.failures.filter((check) => check.fault === 'latency')
    if (netemKernel) expect(report.failures, formatReport(report)).toEqual([])
    else {
      expect(report.failures.filter((check) => check.fault !== 'latency'), formatReport(report)).toEqual([])
      expect(latencyFailures.find((check) => check.name === 'inject then verify shows the fault')?.detail).toContain('no netem qdisc')
    }
    expect(report.checks.filter((check) => check.status === 'skipped' && check.fault !== 'latency'), formatReport(report)).toEqual([])
    expect(report.checks.filter((check) => check.name === 'revert from the ledger in a fresh process' && check.status === 'passed').length).toBeGreaterThanOrEqual(4)
    expect(labNamespaces(lab)).toEqual([]) // disconnect removed the lab it created
  }, 300_000)
})

it.skipIf(isRoot || !existsSync(DIST))('without root the kit reports the privilege error at connect', async () => {
  const report = await runConformance(netem, {config: {lab}, faults: [], topology})
  expect(report.failures[0]?.detail).toContain('needs root')
})
