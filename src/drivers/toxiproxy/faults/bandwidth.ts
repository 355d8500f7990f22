import {faultSchemas} from '../../../experiment/schema.js'
import {toxiproxyFault} from '../fault.js'
import {streamsBetween, toxicOperations} from '../operations.js'

/** A bandwidth toxic (KB/s, KB = 1000 bytes) on every stream between the regions; each connection separately. */
export const bandwidth = toxiproxyFault({
  compile(step, {faultId, runId, topology}) {
    const targets = streamsBetween(topology, step.from, step.to, step.direction)
    return {
      fidelity: ['Toxiproxy limits each connection separately, not the link as a whole'],
      operations: toxicOperations(runId, faultId, targets, 'bandwidth', {rate: step.kilobytesPerSecond}),
    }
  },
  params: faultSchemas.bandwidth,
  summary: 'limit the bandwidth between two regions',
})
