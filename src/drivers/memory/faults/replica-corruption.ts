import {faultSchemas} from '../../../experiment/schema.js'
import {defineFabricFault, onPaths} from '../fabric-fault.js'
import {isDecline, replicationPath} from '../topology.js'

/** Corrupts the replication stream from → to (bit flips or truncation, at a rate); declines like replication-pause. */
export const replicaCorruption = defineFabricFault({
  summary: 'Corrupt replication from one region to another: bit flips or truncation at a given rate.',
  params: faultSchemas['replica-corruption'],
  fault: 'replica-corruption',
  compile(step, {topology}) {
    const resolved = replicationPath(topology, step.from, step.to)
    if (isDecline(resolved)) return resolved
    return onPaths(resolved, (path) => ({...path, kind: 'corrupt', mode: step.mode, rate: step.rate}), [
      'no bytes flow through the fabric: mode and rate are recorded and reported by the path probe, not applied to data',
    ])
  },
})
