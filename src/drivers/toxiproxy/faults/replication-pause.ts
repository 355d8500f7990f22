import {faultSchemas} from '../../../experiment/schema.js'
import {toxiproxyFault} from '../fault.js'
import {toxicOperations} from '../operations.js'
import {replicationLinks} from './replication.js'

/**
 * A bandwidth toxic at rate 0 on the replication stream: Toxiproxy then holds the data back completely,
 * and removing the toxic releases it, so the pause loses nothing in flight.
 */
export const replicationPause = toxiproxyFault({
  compile(step, {faultId, runId, topology}) {
    const links = replicationLinks(topology, step.from, step.to)
    if (!Array.isArray(links)) return links
    return {operations: toxicOperations(runId, faultId, links.map((link) => ({link, stream: 'upstream' as const})), 'bandwidth', {rate: 0})}
  },
  params: faultSchemas['replication-pause'],
  summary: 'pause replication from one region to another; the backlog flows on when it ends',
})
