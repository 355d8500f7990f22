/** The PostgreSQL experiments are valid, and pg-cluster reads the same cluster out of each. */
import {describe, expect, it} from 'vitest'

import {createDefaultRegistry} from '../../../src/drivers/index.js'
import {loadExperiment} from '../../../src/experiment/load.js'
import {main} from '../../../src/postgres/cli.js'
import {layoutOf, loadLayout} from '../../../src/postgres/layout.js'

const FILES = ['experiments/postgres/async-region-outage.yaml', 'experiments/postgres/sync-region-outage.yaml']

describe('experiments/postgres', () => {
  it.each(FILES)('%s validates and describes a primary, a standby and the paths between them', async (file) => {
    const experiment = await loadExperiment(file, createDefaultRegistry())
    expect(experiment.doc.workload?.ledger?.sql?.url).toBe('postgres://postgres@127.0.0.1:55440/postgres')
    expect(await loadLayout(file)).toEqual({
      clientListen: {'eu-west': '127.0.0.1:55443', 'us-east': '127.0.0.1:55442'},
      endpoint: {listen: '127.0.0.1:55440', name: 'pg-endpoint', upstream: '127.0.0.1:55442'},
      links: [
        {listen: '127.0.0.1:55444', name: 'pg-replication', upstream: '127.0.0.1:55432'},
        {listen: '127.0.0.1:55442', name: 'pg-client-us-east', upstream: '127.0.0.1:55432'},
        {listen: '127.0.0.1:55443', name: 'pg-client-eu-west', upstream: '127.0.0.1:55433'},
      ],
      primary: {host: '127.0.0.1', port: 55432, region: 'us-east'},
      proxyUrl: 'http://127.0.0.1:58474',
      replicationVia: {host: '127.0.0.1', port: 55444},
      sqlUrl: 'postgres://postgres@127.0.0.1:55440/postgres',
      standby: {host: '127.0.0.1', port: 55433, region: 'eu-west'},
      table: 'rift_ledger',
    })
  })

  it('says what an experiment lacks for pg-cluster', async () => {
    const experiment = await loadExperiment(FILES[0]!, createDefaultRegistry())
    const doc = structuredClone(experiment.doc)
    doc.topology.links = doc.topology.links.filter((link) => link.kind !== 'replication')
    expect(() => layoutOf(doc, 'x.yaml')).toThrow('x.yaml: no replication link from eu-west (the standby connects) to us-east with listen and upstream (see docs/postgres.md)')
    doc.topology.regions = ['us-east', 'eu-west']
    expect(() => layoutOf(doc, 'x.yaml')).toThrow(/no region is tagged postgres: primary/)
  })

  it('pg-cluster refuses unknown commands and missing flags with its usage, exit 1', async () => {
    const lines: string[] = []
    expect(await main(['frobnicate'], (line) => lines.push(line))).toBe(1)
    expect(await main(['failover', '--proxy', 'http://127.0.0.1:1'], (line) => lines.push(line))).toBe(1)
    expect(lines).toEqual([])
  })
})
