import {faultSchemas} from '../../../experiment/schema.js'
import {toxiproxyFault} from '../fault.js'
import {streamsBetween, toxicOperations} from '../operations.js'

/** A timeout toxic (timeout 0: swallow, never close) on every stream from one region to the other. */
export const partition = toxiproxyFault({
  compile(step, {faultId, runId, topology}) {
    const targets = streamsBetween(topology, step.from, step.to, step.direction)
    return {
      fidelity: ['a partition swallows data on open and new connections; connects still succeed (Toxiproxy cannot drop SYNs)'],
      operations: toxicOperations(runId, faultId, targets, 'timeout', {timeout: 0}),
    }
  },
  params: faultSchemas.partition,
  summary: 'cut the data between two regions, one way or both',
})
