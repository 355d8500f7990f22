/** How effects read in `rift plan`: concrete, naming the path and the links behind it. */
import type {Effect, PathRef} from './fabric-file.js'

export function describeEnds(from: string, to: string): string {
  return `${from}→${to}`
}

/** `clients→us-east (link client-us-east)`, or `(implicit path)` when the topology declares no links. */
export function describePath(path: PathRef): string {
  const via =
    path.links.length === 0 ? 'implicit path' : `${path.links.length === 1 ? 'link' : 'links'} ${path.links.join(', ')}`
  return `${describeEnds(path.from, path.to)} (${via})`
}

const OUTAGE_VERBS = {blackhole: 'black-hole', reject: 'refuse connections on', reset: 'reset connections on'} as const

/** One line per concrete action, in a stable order. */
export function describeEffect(effect: Effect): string[] {
  switch (effect.kind) {
    case 'region-down': {
      return effect.paths.map((path) => `${OUTAGE_VERBS[effect.mode]} path ${describePath(path)}`)
    }
    case 'cut': {
      return [`cut path ${describePath(effect)}`]
    }
    case 'delay': {
      const jitter = effect.jitterMs > 0 ? ` ± ${effect.jitterMs}ms` : ''
      return [`delay path ${describePath(effect)} by ${effect.latencyMs}ms${jitter}`]
    }
    case 'throttle': {
      return [`limit path ${describePath(effect)} to ${effect.kilobytesPerSecond} KB/s`]
    }
    case 'pause-replication': {
      return [`pause replication on path ${describePath(effect)}`]
    }
    case 'corrupt': {
      return [`corrupt replication on path ${describePath(effect)} (${effect.mode}, rate ${effect.rate})`]
    }
    case 'drain': {
      return [`drain region ${effect.region} from DNS: clients are no longer routed to it`]
    }
  }
}

/** The journal's `target`: the faulted paths with their links. */
export function describeTargets(paths: readonly PathRef[]): string {
  return `${paths.length === 1 ? 'path' : 'paths'} ${paths.map(describePath).join(', ')}`
}
