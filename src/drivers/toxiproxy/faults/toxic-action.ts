import {z} from 'zod'

import {serverFlavor} from '../config.js'
import {toxiproxyFault} from '../fault.js'
import {toxicOperations} from '../operations.js'

/** The escape hatch: any toxic on any link, `toxiproxy.toxic` in experiments. */
export const toxicAction = toxiproxyFault({
  compile(params, {config, faultId, runId, topology}) {
    if (params.type === 'corrupt' && serverFlavor(config) !== 'rift') return {ok: false, reason: 'a real Toxiproxy has no corrupt toxic'}
    const link = topology.links.find((candidate) => candidate.name === params.link)
    if (!link) return {ok: false, reason: `the topology has no link "${params.link}"`, suggestions: [`Links: ${topology.links.map((l) => l.name).join(', ')}`]}
    const [operation] = toxicOperations(runId, faultId, [{link, stream: params.stream}], params.type, params.attributes)
    return {operations: [{...operation!, toxicity: params.toxicity}]}
  },
  params: z.strictObject({
    attributes: z.record(z.string(), z.number()).default({}),
    link: z.string().min(1),
    stream: z.enum(['upstream', 'downstream']).default('downstream'),
    toxicity: z.number().min(0).max(1).default(1),
    type: z.enum(['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'noop', 'corrupt']),
  }),
  summary: 'add any toxic to any link: {link, type, stream, attributes, toxicity}',
})
