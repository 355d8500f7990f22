/**
 * Cross-region isolation as FIS does it: from the experiment's region, block traffic leaving its tagged
 * subnets (route tables swapped for ones without the other region's prefixes) and/or its transit gateway
 * peering attachments, towards each named region. Outbound only: the other direction needs an experiment
 * in the other region.
 */
import type {FisConfig} from '../config.js'
import {taggedTarget, type RegionTargets} from '../targets.js'
import type {ActionSpec, ExperimentDraft, TargetSpec} from '../template.js'

export const ROUTE_TABLE_ACTION = 'aws:network:route-table-disrupt-cross-region-connectivity'
export const TRANSIT_GATEWAY_ACTION = 'aws:network:transit-gateway-disrupt-cross-region-connectivity'

export const OUTBOUND_ONLY = 'FIS cross-region isolation blocks traffic leaving a region only: each direction is an experiment in the region the traffic leaves'

export function isolationDraft(from: RegionTargets, towards: RegionTargets[], config: FisConfig, duration: string): ExperimentDraft {
  const targets: Record<string, TargetSpec> = {}
  const actions: Record<string, ActionSpec> = {}
  if (config.isolate.includes('subnets')) targets.subnets = taggedTarget('aws:ec2:subnet', from.tags)
  if (config.isolate.includes('transit-gateways')) targets['transit-gateways'] = taggedTarget('aws:ec2:transit-gateway', from.tags)
  for (const other of towards) {
    if (targets.subnets) {
      actions[`isolate-subnets-from-${other.aws}`] = {
        actionId: ROUTE_TABLE_ACTION,
        description: `block traffic from ${from.aws} subnets to ${other.aws}`,
        parameters: {duration, region: other.aws},
        targets: {Subnets: 'subnets'},
      }
    }
    if (targets['transit-gateways']) {
      actions[`isolate-tgw-from-${other.aws}`] = {
        actionId: TRANSIT_GATEWAY_ACTION,
        description: `block traffic from ${from.aws} transit gateway peering to ${other.aws}`,
        parameters: {duration, region: other.aws},
        targets: {TransitGateways: 'transit-gateways'},
      }
    }
  }
  return {
    actions,
    description: `rift: isolate ${from.aws} from ${towards.map((other) => other.aws).join(', ')} (outbound)`,
    region: from.aws,
    targets,
    topologyRegion: from.name,
  }
}
