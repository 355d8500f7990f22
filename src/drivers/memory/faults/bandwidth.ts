import {faultSchemas} from '../../../experiment/schema.js'
import {describeTargets} from '../describe.js'
import {defineFabricFault} from '../fabric-fault.js'
import {isDecline, pathsBetween} from '../topology.js'

/** Limits the throughput of the paths between two regions; with several limits, the tightest wins. */
export const bandwidth = defineFabricFault({
  summary: 'Limit the bandwidth of the paths between two regions, in one direction or both.',
  params: faultSchemas.bandwidth,
  fault: 'bandwidth',
  compile(step, {topology}) {
    const resolved = pathsBetween(topology, step)
    if (isDecline(resolved)) return resolved
    return {
      effects: resolved.paths.map((path) => ({...path, kilobytesPerSecond: step.kilobytesPerSecond, kind: 'throttle' as const})),
      fidelity: resolved.fidelity,
      ok: true,
      target: describeTargets(resolved.paths),
    }
  },
})
