import {faultSchemas} from '../../../experiment/schema.js'
import {parseDuration} from '../../../util/duration.js'
import {defineFabricFault, onPaths} from '../fabric-fault.js'
import {durationMs} from '../params.js'
import {isDecline, pathsBetween} from '../topology.js'

/** Adds latency (± jitter) between two regions, one way or both. */
export const latency = defineFabricFault({
  summary: 'Add latency (± jitter) on the paths between two regions, one way or both.',
  params: faultSchemas.latency,
  fault: 'latency',
  compile(step, {topology}) {
    const resolved = pathsBetween(topology, step)
    if (isDecline(resolved)) return resolved
    const latencyMs = durationMs(parseDuration(step.latency), 'latency')
    const jitterMs = durationMs(parseDuration(step.jitter), 'jitter')
    if (isDecline(latencyMs)) return latencyMs
    if (isDecline(jitterMs)) return jitterMs
    const fidelity = jitterMs > 0 ? ['jitter is recorded, not sampled: the latency probe reports the fixed latency'] : []
    return onPaths(resolved, (path) => ({...path, jitterMs, kind: 'delay', latencyMs}), fidelity)
  },
})
