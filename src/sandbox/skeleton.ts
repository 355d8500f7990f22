/**
 * The sandbox's topology by name only — regions and links, no addresses — so an experiment that says
 * `sandbox: active-passive` can be validated and planned before any socket exists. startSandbox() builds
 * the same names (src/sandbox/index.ts linkSpecs); a test keeps the two in step.
 */
import {REGION_NAMES} from './regions.js'
import type {Pattern, ReplicationMode} from './types.js'

export interface SandboxSpec {
  pattern: Pattern
  regions: number
  replication?: ReplicationMode | undefined
}

export interface SkeletonLink {
  from: string
  kind: 'client' | 'replication'
  name: string
  protocol?: 'http'
  to: string
}

export function sandboxSkeleton(spec: SandboxSpec): {links: SkeletonLink[]; regions: string[]} {
  const regions = REGION_NAMES.slice(0, spec.regions)
  const links: SkeletonLink[] = regions.map((region) => ({from: 'clients', kind: 'client', name: `client-${region}`, protocol: 'http', to: region}))
  if (spec.pattern !== 'sharded') {
    for (const from of regions) {
      for (const to of regions) if (from !== to) links.push({from, kind: 'replication', name: `repl-${from}-${to}`, to})
    }
  }
  return {links, regions: [...regions]}
}
