/** A driver that breaks every rule the conformance kit checks (see test/unit/testing/conformance.test.ts). */
import {randomUUID} from 'node:crypto'
import {z} from 'zod'

import {defineDriver, type FaultDefinition} from '../../src/drivers/define.js'
import {faultSchemas} from '../../src/experiment/schema.js'

export const active = new Set<string>()
type State = {name: string}

const partition: FaultDefinition<null, z.output<typeof faultSchemas.partition>, State> = {
  summary: 'a partition kept in this process only',
  params: faultSchemas.partition,
  plan: (step, {runId, faultId}) => ({actions: [{description: `cut ${step.from}→${step.to}`}], fidelity: [], ok: true, state: {name: `${runId}-${faultId}-${randomUUID()}`}, target: step.from}),
  async inject({state}) {
    active.add(state.name) // ignores the signal
  },
  async verify({state}) {
    return {detail: '', landed: active.has(state.name)}
  },
  async revert({state}) {
    active.delete(state.name)
    return 'reverted' // even when nothing was there
  },
}

export default defineDriver({
  name: 'broken',
  summary: 'breaks every rule it can',
  capabilities: {blastRadius: 'process', live: false, resumableRevert: true},
  config: z.strictObject({}),
  connect: async () => null,
  faults: {partition, latency: partition as never},
  actions: {},
  probes: {},
  fidelity: [],
})

