import {faultSchemas} from '../../../experiment/schema.js'
import {parseDuration} from '../../../util/duration.js'
import {toxiproxyFault} from '../fault.js'
import {streamsBetween, toxicOperations} from '../operations.js'

const ms = (text: string): number => {
  const parsed = parseDuration(text)
  return parsed.ok ? parsed.ms : 0
}

/** A latency toxic on every stream that carries data from one region to the other (both ways by default). */
export const latency = toxiproxyFault({
  compile(step, {faultId, runId, topology}) {
    const targets = streamsBetween(topology, step.from, step.to, step.direction)
    return {
      fidelity: ['Toxiproxy delays data, not the TCP handshake: connection set-up is not slowed'],
      operations: toxicOperations(runId, faultId, targets, 'latency', {jitter: ms(step.jitter), latency: ms(step.latency)}),
    }
  },
  params: faultSchemas.latency,
  summary: 'delay the data between two regions, one way or both, with jitter',
})
