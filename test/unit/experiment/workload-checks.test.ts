import {describe, expect, it} from 'vitest'

import {problems} from './fixtures.js'

describe('workload, probe-SLO and abortIf checks', () => {
  it('names unknown probes in probe:<name> SLOs, bad objectives, and abortIf without a workload', async () => {
    expect(await problems('workload-problems.yaml')).toEqual([
      '15:3 slos["probe:replica-lags"]: no probe is named "replica-lags". Did you mean "probe:replica-lag"?',
      '16:3 slos["probe:nothing"]: no probe is named "nothing" (named probes: replica-lag)',
      expect.stringMatching(/^17:22 slos\["probe:replica-lag"\]: /),
      expect.stringMatching(/^19:12 guardrails\.abortIf: guardrails\.abortIf watches the error rate of a workload/),
    ])
  })
})
