import type {Link} from '../../../experiment/schema.js'
import type {Topology} from '../../define.js'
import type {Compiled} from '../fault.js'

/** Replication links from one region to another, or a decline that says what the topology lacks. */
export function replicationLinks(topology: Topology, from: string, to: string): Link[] | Extract<Compiled, {ok: false}> {
  const links = topology.links.filter((link) => link.kind === 'replication' && link.from === from && link.to === to)
  if (links.length > 0) return links
  return {
    ok: false,
    reason: `the topology has no replication link from ${from} to ${to}`,
    suggestions: [`Declare one: {name: repl-${from}-${to}, from: ${from}, to: ${to}, kind: replication, listen: ..., upstream: ...}`],
  }
}
