import {z} from 'zod'

import {duration} from '../../../experiment/schema.js'
import {parseDuration} from '../../../util/duration.js'
import {defineFabricFault, onPaths} from '../fabric-fault.js'
import {durationMs} from '../params.js'
import {isDecline, linkPath} from '../topology.js'

export const delayLinkParams = z.strictObject({link: z.string().min(1), latency: duration})

/** `memory.delay-link`: adds a fixed latency to the path a declared link maps to. */
export const delayLink = defineFabricFault({
  summary: 'Add latency to the path of one declared link.',
  params: delayLinkParams,
  fault: 'memory.delay-link',
  compile(params, {topology}) {
    const resolved = linkPath(topology, params.link)
    if (isDecline(resolved)) return resolved
    const latencyMs = durationMs(parseDuration(params.latency), 'latency')
    if (isDecline(latencyMs)) return latencyMs
    return onPaths(resolved, (path) => ({...path, jitterMs: 0, kind: 'delay', latencyMs}))
  },
})
