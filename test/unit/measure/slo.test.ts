import {describe, expect, it} from 'vitest'

import {evaluateSlos, MIN_SAMPLES} from '../../../src/measure/slo.js'

describe('SLO verdicts', () => {
  const enough = MIN_SAMPLES
  it('passes and fails on the measured value, carrying samples and resolution', () => {
    const results = evaluateSlos(
      {availability: '>= 99%', failoverTime: '<= 10s'},
      {availability: {resolution: 20, samples: 500, unit: 'percent', value: 97.5}, failoverTime: {resolution: 20, samples: 500, unit: 'ms', value: 1200}},
    )
    expect(results).toEqual([
      {detail: 'not met', name: 'availability', objective: '>= 99%', observed: 97.5, resolution: 20, samples: 500, status: 'fail'},
      {detail: 'met', name: 'failoverTime', objective: '<= 10s', observed: 1200, resolution: 20, samples: 500, status: 'pass'},
    ])
  })

  it('is inconclusive, never a pass, with nothing measured or too few samples', () => {
    const [missing, thin] = evaluateSlos({dataLoss: '== 0', failoverTime: '<= 10s'}, {failoverTime: {resolution: 20, samples: enough - 1, unit: 'ms', value: 100}})
    expect(missing).toMatchObject({name: 'dataLoss', observed: null, status: 'inconclusive'})
    expect(thin).toMatchObject({name: 'failoverTime', observed: 100, status: 'inconclusive'})
  })
})
