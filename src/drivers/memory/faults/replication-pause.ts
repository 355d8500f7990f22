import {faultSchemas} from '../../../experiment/schema.js'
import {defineFabricFault, onPaths} from '../fabric-fault.js'
import {isDecline, replicationPath} from '../topology.js'

/**
 * Pauses the replication stream from → to. Declines when the topology declares links but none of kind
 * `replication` from → to: there would be nothing to pause, and a fault that cannot land must not run.
 */
export const replicationPause = defineFabricFault({
  summary: 'Pause replication from one region to another (links of kind replication).',
  params: faultSchemas['replication-pause'],
  fault: 'replication-pause',
  compile(step, {topology}) {
    const resolved = replicationPath(topology, step.from, step.to)
    if (isDecline(resolved)) return resolved
    return onPaths(resolved, (path) => ({...path, kind: 'pause-replication'}))
  },
})
