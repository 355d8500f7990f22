import {describe, expect, it} from 'vitest'

import {createDefaultRegistry} from '../../../src/drivers/index.js'
import type {RiftError} from '../../../src/errors.js'
import {parseExperiment} from '../../../src/experiment/load.js'

const registry = createDefaultRegistry()
const base = `version: rift/v1
title: sandbox outage
method:
  - fault: region-outage
    region: us-east
    duration: 1s
`

describe('sandbox: experiments', () => {
  it('take their topology from the sandbox and default to the toxiproxy driver', () => {
    const experiment = parseExperiment(`${base}sandbox: {pattern: active-active, regions: 3}\n`, 'x.yaml', registry)
    expect(experiment.topology.regions.map((region) => region.name)).toEqual(['us-east', 'eu-west', 'ap-south'])
    expect(experiment.topology.links.map((link) => link.name)).toContain('repl-ap-south-us-east')
    expect(experiment.defaultDriver).toBe('toxiproxy')
  })

  it('check fault regions against the sandbox regions', () => {
    const error = (() => {
      try {
        parseExperiment(base.replace('region: us-east', 'region: us-wets') + 'sandbox: sharded\n', 'x.yaml', registry)
      } catch (caught) {
        return caught as RiftError
      }
    })()
    expect(error?.message).toContain('x.yaml:5:13  method[0].region  unknown region "us-wets"; the topology declares us-east, eu-west')
  })

  it('refuse a topology of their own, pointing at it', () => {
    const text = `${base}sandbox: active-passive\ntopology:\n  regions: [a]\n`
    expect(() => parseExperiment(text, 'x.yaml', registry)).toThrow(/x\.yaml:9:3 +topology +a sandbox experiment takes its topology from the sandbox/)
    expect(() => parseExperiment(text, 'x.yaml', registry)).not.toThrow(/driver/)
  })

  it('refuse an unknown pattern with the choices', () => {
    expect(() => parseExperiment(`${base}sandbox: active-pasive\n`, 'x.yaml', registry)).toThrow(/x\.yaml:7:10 +sandbox/)
  })
})
