/**
 * What a fault does on a Toxiproxy server, as plain data (ledgered, so a fresh process can undo it):
 * toxics added to the proxies that carry the topology's links, and proxies disabled.
 */
import type {Link} from '../../experiment/schema.js'
import type {Json, PlannedAction, Topology} from '../define.js'

export type Stream = 'upstream' | 'downstream'

export type Operation =
  | {attributes: Record<string, number>; kind: 'toxic'; proxy: string; stream: Stream; toxic: string; toxicity: number; type: string}
  | {kind: 'disable'; listen: string | null; proxy: string}

export interface ToxiproxyState {
  [key: string]: Json
  operations: Operation[] & Json
}

/**
 * The streams that carry data from one region to another. On a link from A to B (A is the client), data
 * A→B is the link's upstream stream; on a link from B to A, data A→B is its downstream (the replies).
 */
export function streamsCarrying(topology: Topology, from: string, to: string): {link: Link; stream: Stream}[] {
  return [
    ...topology.links.filter((link) => link.from === from && link.to === to).map((link) => ({link, stream: 'upstream' as const})),
    ...topology.links.filter((link) => link.from === to && link.to === from).map((link) => ({link, stream: 'downstream' as const})),
  ]
}

export function streamsBetween(topology: Topology, from: string, to: string, direction: 'one-way' | 'both'): {link: Link; stream: Stream}[] {
  return direction === 'both' ? [...streamsCarrying(topology, from, to), ...streamsCarrying(topology, to, from)] : streamsCarrying(topology, from, to)
}

/** Deterministic toxic names: `rift-<runId>-<faultId>-<n>`, so revert and rollback find exactly these. */
export function toxicOperations(
  runId: string,
  faultId: string,
  targets: {link: Link; stream: Stream}[],
  type: string,
  attributes: Record<string, number>,
): Operation[] {
  return targets.map(({link, stream}, index) => ({
    attributes,
    kind: 'toxic' as const,
    proxy: link.name,
    stream,
    toxic: `rift-${runId}-${faultId}-${index + 1}`,
    toxicity: 1,
    type,
  }))
}

export function describeOperation(operation: Operation): PlannedAction {
  if (operation.kind === 'disable') return {description: `disable proxy ${operation.proxy} (connections refused, open ones closed)`}
  const attributes = Object.entries(operation.attributes).map(([key, value]) => `${key}=${value}`).join(' ')
  return {description: `add ${operation.type} toxic ${operation.toxic} to proxy ${operation.proxy} (${operation.stream}${attributes ? `, ${attributes}` : ''})`}
}

export function describeTarget(operations: Operation[]): string {
  const proxies = [...new Set(operations.map((operation) => operation.proxy))]
  return proxies.length === 1 ? `link ${proxies[0]}` : `links ${proxies.join(', ')}`
}
