/** The memory driver through the conformance kit: every fault and action, including a revert by a new process. */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'

import memory from '../../src/drivers/memory/index.js'
import {formatReport, runConformance} from '../../src/testing/index.js'

const region = (name: string) => ({name, services: {}, tags: {}})
const topology = {
  links: [
    {from: 'clients', kind: 'client' as const, name: 'client-us-east', to: 'us-east'},
    {from: 'us-east', kind: 'replication' as const, name: 'repl-us-east-eu-west', to: 'eu-west'},
    {from: 'eu-west', kind: 'service' as const, name: 'svc-eu-west-us-east', to: 'us-east'},
  ],
  regions: [region('us-east'), region('eu-west')],
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rift-memory-conformance-'))
})
afterAll(async () => {
  await rm(dir, {force: true, recursive: true})
})

it('the memory driver passes the conformance kit', async () => {
  const report = await runConformance(memory, {
    config: {fabric: join(dir, 'fabric.json')},
    declined: [
      {fault: 'replication-pause', from: 'eu-west', to: 'us-east'}, // no replication link that way
      {fault: 'partition', from: 'us-east', to: 'mars'},
      {action: 'memory.cut-link', params: {link: 'no-such-link'}},
    ],
    faults: [
      {fault: 'region-outage', region: 'us-east'},
      {fault: 'latency', from: 'us-east', latency: '80ms', to: 'eu-west'},
      {direction: 'one-way', fault: 'partition', from: 'us-east', to: 'eu-west'},
      {fault: 'bandwidth', from: 'us-east', kilobytesPerSecond: 100, to: 'eu-west'},
      {fault: 'replication-pause', from: 'us-east', to: 'eu-west'},
      {fault: 'replica-corruption', from: 'us-east', to: 'eu-west'},
      {fault: 'dns-failover', region: 'us-east'},
      {action: 'memory.cut-link', params: {link: 'client-us-east'}},
      {action: 'memory.delay-link', params: {latency: '50ms', link: 'svc-eu-west-us-east'}},
    ],
    module: new URL('../../src/drivers/memory/index.ts', import.meta.url),
    topology,
  })
  expect(report.failures, formatReport(report)).toEqual([])
  // Every rule was really exercised for every fault: nothing skipped.
  expect(report.checks.filter((check) => check.status === 'skipped'), formatReport(report)).toEqual([])
  expect(report.checks.filter((check) => check.name === 'revert from the ledger in a fresh process')).toHaveLength(9)
}, 120_000)
