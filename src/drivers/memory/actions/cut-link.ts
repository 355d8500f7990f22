import {z} from 'zod'

import {describeTargets} from '../describe.js'
import {defineFabricFault} from '../fabric-fault.js'
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
    return {
      effects: resolved.paths.map((path) => ({...path, kind: 'cut' as const})),
      fidelity: resolved.fidelity,
      ok: true,
      target: describeTargets(resolved.paths),
    }
  },
})
