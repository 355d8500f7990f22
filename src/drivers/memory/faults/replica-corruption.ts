import {faultSchemas} from '../../../experiment/schema.js'
import {describeTargets} from '../describe.js'
import {defineFabricFault} from '../fabric-fault.js'
import {isDecline, replicationPath} from '../topology.js'

/** Corrupts the replication stream from → to (bit flips or truncation, at a rate); declines like replication-pause. */
export const replicaCorruption = defineFabricFault({
  summary: 'Corrupt replication from one region to another: bit flips or truncation at a given rate.',
  params: faultSchemas['replica-corruption'],
  fault: 'replica-corruption',
  compile(step, {topology}) {
    const resolved = replicationPath(topology, step.from, step.to)
    if (isDecline(resolved)) return resolved
    return {
      effects: resolved.paths.map((path) => ({...path, kind: 'corrupt' as const, mode: step.mode, rate: step.rate})),
      fidelity: [...resolved.fidelity, 'no bytes flow through the fabric: mode and rate are recorded and reported by the path probe, not applied to data'],
      ok: true,
      target: describeTargets(resolved.paths),
    }
  },
})
