/**
 * From the experiment's topology to the fabric's paths. A path is an ordered pair (from, to) where `from` is a
 * region or `clients` and `to` is a region. Declared links name paths (several links may share one); when the
 * topology declares no links at all, every clients→region and region→region pair is an implicit path.
 *
 * Everything here is pure: `plan` calls it.
 */
import {CLIENTS, type Link} from '../../experiment/schema.js'
import {didYouMean} from '../../util/suggest.js'
import type {PlanContext, Topology} from '../define.js'
import type {PathRef} from './fabric-file.js'

export type Decline = {ok: false; reason: string; suggestions?: string[]}
type LinkKind = NonNullable<Link['kind']>

/** Entry names derive from the run and the fault only, so a revert in a new process finds the entry again. */
export function entryName(context: Pick<PlanContext, 'faultId' | 'runId'>): string {
  return `rift-${context.runId}-${context.faultId}`
}

export function regionNames(topology: Topology): string[] {
  return topology.regions.map((region) => region.name)
}

export function isDecline(value: unknown): value is Decline {
  return typeof value === 'object' && value !== null && 'ok' in value && value.ok === false
}

/** Declines when `name` is not a region (or `clients`, where allowed), suggesting the closest region. */
export function checkRegion(topology: Topology, field: string, name: string, allowClients = false): Decline | undefined {
  const regions = regionNames(topology)
  if (regions.includes(name)) return undefined
  if (name === CLIENTS) {
    if (allowClients) return undefined
    return {ok: false, reason: `${field} cannot be "${CLIENTS}": clients are a source of traffic, not a region`}
  }
  const guess = didYouMean(name, regions)
  return {
    ok: false,
    reason: `${field} "${name}" is not a region of the topology (regions: ${regions.join(', ')})`,
    suggestions: guess === undefined ? [`Use one of: ${regions.join(', ')}`] : [`Did you mean "${guess}"?`],
  }
}

/** Every path of the fabric, in topology order, each with the links that map to it. */
export function fabricPaths(topology: Topology): PathRef[] {
  if (topology.links.length === 0) {
    const regions = regionNames(topology)
    return [
      ...regions.map((to) => ({from: CLIENTS, links: [], to})),
      ...regions.flatMap((from) => regions.filter((to) => to !== from).map((to) => ({from, links: [], to}))),
    ]
  }
  const byEnds = new Map<string, PathRef>()
  for (const link of topology.links) {
    const key = `${link.from}→${link.to}`
    const path = byEnds.get(key) ?? {from: link.from, links: [], to: link.to}
    path.links.push(link.name)
    byEnds.set(key, path)
  }
  return [...byEnds.values()]
}

/** The path from → to (optionally only links of one kind), or undefined when the topology has none. */
export function findPath(topology: Topology, from: string, to: string, kind?: LinkKind): PathRef | undefined {
  if (topology.links.length === 0) return {from, links: [], to}
  const links = topology.links.filter((link) => link.from === from && link.to === to && (kind === undefined || link.kind === kind))
  return links.length === 0 ? undefined : {from, links: links.map((link) => link.name), to}
}

export interface Resolved {
  fidelity: string[]
  paths: PathRef[]
}

/**
 * The paths a between-regions fault touches: from→to, and to→from when `direction` is `both`. A direction
 * without a declared link is left out with a fidelity note; when neither has one, the fault is declined.
 */
export function pathsBetween(
  topology: Topology,
  step: {direction: 'both' | 'one-way'; from: string; to: string},
): Resolved | Decline {
  const problem =
    checkRegion(topology, 'from', step.from, true) ??
    checkRegion(topology, 'to', step.to) ??
    (step.from === step.to ? {ok: false as const, reason: `from and to are the same region "${step.from}"`} : undefined)
  if (problem) return problem
  const fidelity: string[] = []
  const wanted: [string, string][] = [[step.from, step.to]]
  if (step.direction === 'both') {
    if (step.from === CLIENTS) {
      fidelity.push(`"${CLIENTS}" is not a destination: only ${CLIENTS}→${step.to} is faulted (replies travel back on the same connections)`)
    } else wanted.push([step.to, step.from])
  }
  const paths: PathRef[] = []
  for (const [from, to] of wanted) {
    const path = findPath(topology, from, to)
    if (path) paths.push(path)
    else fidelity.push(`the topology declares no link ${from}→${to}, so that direction is not faulted`)
  }
  if (paths.length > 0) return {fidelity, paths}
  return {
    ok: false,
    reason: `the topology declares no link between ${step.from} and ${step.to}`,
    suggestions: [`Declare one under topology.links: {name: ${step.from}-${step.to}, from: ${step.from}, to: ${step.to}}`],
  }
}

/**
 * The replication stream from → to. With declared links, only links of kind `replication` count, and the
 * fault is declined when there is none: pausing "replication" on a client path would be a fault that cannot
 * mean what the experiment says.
 */
export function replicationPath(topology: Topology, from: string, to: string): Resolved | Decline {
  const problem = checkRegion(topology, 'from', from) ?? checkRegion(topology, 'to', to)
  if (problem) return problem
  if (from === to) return {ok: false, reason: `from and to are the same region "${from}"`}
  if (topology.links.length === 0) {
    return {
      fidelity: [`the topology declares no links, so the implicit path ${from}→${to} stands for the replication stream`],
      paths: [{from, links: [], to}],
    }
  }
  const path = findPath(topology, from, to, 'replication')
  if (path) return {fidelity: [], paths: [path]}
  const suggestions: string[] = []
  const reverse = findPath(topology, to, from, 'replication')
  if (reverse) suggestions.push(`Replication runs ${to}→${from} (link ${reverse.links.join(', ')}): swap from and to`)
  for (const name of findPath(topology, from, to)?.links ?? []) {
    suggestions.push(`If link ${name} carries replication, give it kind: replication`)
  }
  suggestions.push(`Declare one under topology.links: {name: repl-${from}-${to}, from: ${from}, to: ${to}, kind: replication}`)
  return {ok: false, reason: `the topology has no replication link from ${from} to ${to}`, suggestions}
}

/** A declared link by name, as the path it maps to. Links sharing its path are faulted with it (noted). */
export function linkPath(topology: Topology, name: string): Resolved | Decline {
  const link = topology.links.find((candidate) => candidate.name === name)
  if (!link) {
    const names = topology.links.map((candidate) => candidate.name)
    if (names.length === 0) {
      return {
        ok: false,
        reason: `link "${name}" is not declared: the topology declares no links`,
        suggestions: ['Declare links under topology.links, or use the partition or latency fault between regions'],
      }
    }
    const guess = didYouMean(name, names)
    return {
      ok: false,
      reason: `link "${name}" is not declared in the topology (links: ${names.join(', ')})`,
      suggestions: guess === undefined ? [`Use one of: ${names.join(', ')}`] : [`Did you mean "${guess}"?`],
    }
  }
  const path = findPath(topology, link.from, link.to)!
  const others = path.links.filter((other) => other !== name)
  const fidelity =
    others.length === 0
      ? []
      : [`the memory fabric faults paths, not single links: ${others.join(', ')} share ${link.from}→${link.to} and are faulted too`]
  return {fidelity, paths: [path]}
}
