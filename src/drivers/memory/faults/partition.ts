import {faultSchemas} from '../../../experiment/schema.js'
import {defineFabricFault, onPaths} from '../fabric-fault.js'
import {isDecline, pathsBetween} from '../topology.js'

/** Cuts the paths between two regions; `one-way` cuts from→to only (an asymmetric partition). */
export const partition = defineFabricFault({
  summary: 'Cut the paths between two regions, in one direction or both.',
  params: faultSchemas.partition,
  fault: 'partition',
  compile(step, {topology}) {
    const resolved = pathsBetween(topology, step)
    if (isDecline(resolved)) return resolved
    return onPaths(resolved, (path) => ({...path, kind: 'cut'}))
  },
})
