import {faultSchemas} from '../../../experiment/schema.js'
import {serverFlavor} from '../config.js'
import {toxiproxyFault} from '../fault.js'
import {toxicOperations} from '../operations.js'
import {replicationLinks} from './replication.js'

/** rift's `corrupt` toxic on the replication stream: bits flipped in flight at the configured rate. */
export const replicaCorruption = toxiproxyFault({
  compile(step, {config, faultId, runId, topology}) {
    if (serverFlavor(config) !== 'rift') {
      return {
        ok: false,
        reason: 'a real Toxiproxy has no corrupt toxic; replica corruption needs rift\'s fault proxy',
        suggestions: ['Omit driver.toxiproxy.url to use the embedded server, or run `rift proxy` and set server: rift'],
      }
    }
    if (step.mode === 'truncate') return {ok: false, reason: 'the toxiproxy driver corrupts by flipping bits; truncation is not supported', suggestions: ['Use mode: bitflip']}
    const links = replicationLinks(topology, step.from, step.to)
    if (!Array.isArray(links)) return links
    return {operations: toxicOperations(runId, faultId, links.map((link) => ({link, stream: 'upstream' as const})), 'corrupt', {rate: step.rate})}
  },
  params: faultSchemas['replica-corruption'],
  summary: 'flip bits in the replication stream from one region to another',
})
