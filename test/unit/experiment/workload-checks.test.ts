import {describe, expect, it} from 'vitest'

import {loadSchema} from '../../../src/experiment/schema.js'
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

describe('workload.load', () => {
  it('takes an http(s) URL, or one built on a sandbox {{router}}, and refuses anything else', () => {
    expect(loadSchema.parse({target: '{{router}}/region/health'}).rate).toBe('100/s')
    expect(loadSchema.parse({target: 'http://127.0.0.1:8080/x'}).maxInFlight).toBe(100)
    expect(loadSchema.safeParse({target: 'ftp://127.0.0.1/x'}).success).toBe(false)
    expect(loadSchema.safeParse({target: 'not a url'}).error?.issues[0]?.message).toMatch(/http:\/\/ or https:\/\/ URL/)
  })
})
