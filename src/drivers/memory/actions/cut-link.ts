import {z} from 'zod'

import {defineFabricFault, onPaths} from '../fabric-fault.js'
import {isDecline, linkPath} from '../topology.js'

export const cutLinkParams = z.strictObject({link: z.string().min(1)})

/** `memory.cut-link`: cuts the path a declared link maps to. */
export const cutLink = defineFabricFault({
  summary: 'Cut the path of one declared link.',
  params: cutLinkParams,
  fault: 'memory.cut-link',
  compile(params, {topology}) {
    const resolved = linkPath(topology, params.link)
    if (isDecline(resolved)) return resolved
    return onPaths(resolved, (path) => ({...path, kind: 'cut'}))
  },
})
