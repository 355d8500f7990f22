/** The AWS examples in experiments/aws/ and docs/aws.md must stay valid as the format and the drivers change. */
import {readdirSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {createDefaultRegistry} from '../../../src/drivers/index.js'
import {planExperiment} from '../../../src/engine/plan.js'
import {parseExperiment} from '../../../src/experiment/load.js'

const folder = new URL('../../../experiments/aws/', import.meta.url)

describe('experiments/aws', () => {
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml'))) {
    it(`${name} validates and plans without a decline, with allowlists for its live drivers`, () => {
      const registry = createDefaultRegistry()
      const experiment = parseExperiment(readFileSync(new URL(name, folder), 'utf8'), `experiments/aws/${name}`, registry)
      expect(experiment.doc.guardrails.allowAccounts).toEqual(['123456789012'])
      const plan = planExperiment(experiment, registry, 'r1')
      expect(plan.declined).toEqual([])
      expect(plan.drivers.every((driver) => driver.live)).toBe(true)
    })
  }

  it('the worked example in docs/aws.md is the one in experiments/aws', () => {
    const doc = readFileSync(new URL('../../../docs/aws.md', import.meta.url), 'utf8')
    const example = readFileSync(new URL('active-passive-region-outage.yaml', folder), 'utf8')
    for (const line of ['roleArn: arn:aws:iam::123456789012:role/rift-fis-experiments', 'us-east-1: {healthCheck: abcdef11-2222-3333-4444-555555555555}', 'allowAccounts: ["123456789012"]']) {
      expect(doc).toContain(line)
      expect(example).toContain(line)
    }
  })
})
