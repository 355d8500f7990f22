import {faultSchemas} from '../../../experiment/schema.js'
import {defineFabricFault, onPaths} from '../fabric-fault.js'
import {isDecline, pathsBetween} from '../topology.js'

/** Limits the throughput of the paths between two regions; with several limits, the tightest wins. */
export const bandwidth = defineFabricFault({
  summary: 'Limit the bandwidth of the paths between two regions, in one direction or both.',
  params: faultSchemas.bandwidth,
  fault: 'bandwidth',
  compile(step, {topology}) {
    const resolved = pathsBetween(topology, step)
    if (isDecline(resolved)) return resolved
    return onPaths(resolved, (path) => ({...path, kilobytesPerSecond: step.kilobytesPerSecond, kind: 'throttle'}))
  },
})
