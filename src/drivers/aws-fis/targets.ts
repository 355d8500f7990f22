/**
 * How a topology region becomes FIS targets: its AWS region (the name itself, or the driver's mapping) and
 * the tags the topology gives it, which every resource of that region that rift may fault must carry.
 * A region without tags is declined: FIS would otherwise target every subnet of that type in the account.
 */
import type {PlanContext} from '../define.js'
import {awsRegionOf, findRegion} from '../aws/regions.js'
import type {FisConfig} from './config.js'
import type {TargetSpec} from './template.js'

export type Decline = {ok: false; reason: string; suggestions?: string[]}

export interface RegionTargets {
  /** The AWS region. */
  aws: string
  /** The topology name. */
  name: string
  tags: Record<string, string>
}

export function regionTargets(name: string, topology: PlanContext['topology'], config: FisConfig): RegionTargets | Decline {
  const region = findRegion(topology, name)
  if (!region) return {ok: false, reason: `"${name}" is not a region of the topology`, suggestions: [`Use one of: ${topology.regions.map((r) => r.name).join(', ')}`]}
  const aws = awsRegionOf(name, config.regions)
  if (!aws) {
    return {
      ok: false,
      reason: `region "${name}" is not an AWS region name and the aws-fis driver has no mapping for it`,
      suggestions: [`Name the region after its AWS region (us-east-1), or map it: driver: {aws-fis: {regions: {${name}: us-east-1}}}`],
    }
  }
  if (Object.keys(region.tags).length === 0) {
    return {
      ok: false,
      reason: `region "${name}" has no tags: FIS targets resources by tag, and without tags it would target every resource of a type in the account`,
      suggestions: [`Tag the region's resources and declare the tags: topology: {regions: [{name: ${name}, tags: {rift-region: ${name}}}]}`],
    }
  }
  return {aws, name, tags: region.tags}
}

export function isDecline(value: object): value is Decline {
  return 'ok' in value && value.ok === false
}

export function taggedTarget(resourceType: string, tags: Record<string, string>): TargetSpec {
  return {resourceTags: tags, resourceType, selectionMode: 'ALL'}
}

/** The other regions of the topology. */
export function otherRegions(name: string, topology: PlanContext['topology']): string[] {
  return topology.regions.map((region) => region.name).filter((other) => other !== name)
}
