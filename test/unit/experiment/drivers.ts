/**
 * Small drivers for validation tests: what matters here is their schemas (config, params) and which
 * faults, actions and probes they declare; nothing is ever injected.
 */
import {z} from 'zod'

import {defineDriver, type Driver, type FaultDefinition} from '../../../src/drivers/define.js'
import {DriverRegistry} from '../../../src/drivers/registry.js'
import {parseDuration} from '../../../src/util/duration.js'

function fault(params: z.ZodType): FaultDefinition<unknown, any, any> {
  return {
    inject: async () => {},
    params,
    plan: () => ({ok: false, reason: 'not for running'}),
    revert: async () => 'reverted',
    summary: 'test fault',
  }
}

function probe(params: z.ZodType) {
  return {params, run: async () => true, summary: 'test probe'}
}

const base = {
  capabilities: {blastRadius: 'process', live: false, resumableRevert: true},
  connect: async () => ({}),
  fidelity: [],
} as const

/** Region outages and latency (at most 1m), a `cut-link` action and `reachable`/`latency` probes. */
export const simDriver: Driver = defineDriver({
  ...base,
  actions: {'cut-link': fault(z.strictObject({link: z.string(), mode: z.enum(['drop', 'reset']).default('drop')}))},
  config: z.strictObject({url: z.url().default('http://127.0.0.1:8474')}),
  faults: {
    latency: fault(
      z.looseObject({latency: z.string()}).refine((step) => {
        const parsed = parseDuration(step.latency)
        return parsed.ok && parsed.ms <= 60_000
      }, {
        message: 'the sim driver delays at most 1m',
        path: ['latency'],
      }),
    ),
    'region-outage': fault(z.any()),
  },
  name: 'sim',
  probes: {
    latency: probe(z.strictObject({from: z.string(), to: z.string()})),
    reachable: probe(z.strictObject({from: z.string(), to: z.string()})),
  },
  summary: 'a test driver',
})

/** Needs a config (`region`), offers only dns-failover. */
export const cloudDriver: Driver = defineDriver({
  ...base,
  actions: {},
  config: z.strictObject({account: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'), region: z.string()}),
  faults: {'dns-failover': fault(z.any())},
  name: 'cloud',
  probes: {'health-check': probe(z.strictObject({id: z.string()}))},
  summary: 'a test driver that needs settings',
})

export function testRegistry(): DriverRegistry {
  return new DriverRegistry([simDriver, cloudDriver])
}
