import {z} from 'zod'

import {fisFault} from '../fault.js'
import {isDecline, regionTargets} from '../targets.js'
import type {TargetSpec} from '../template.js'

const targetSchema = z.strictObject({
  filters: z.array(z.strictObject({path: z.string().min(1), values: z.array(z.string()).min(1)})).optional(),
  parameters: z.record(z.string(), z.string()).optional(),
  /** At most 5; without ARNs or tags, the region's topology tags. */
  resourceArns: z.array(z.string().startsWith('arn:')).min(1).max(5).optional(),
  resourceTags: z.record(z.string(), z.string()).optional(),
  resourceType: z.string().regex(/^aws:[a-z0-9-]+:[a-z0-9-]+$/, 'expected a FIS resource type such as aws:ec2:instance'),
  selectionMode: z.string().regex(/^(ALL|COUNT\(\d+\)|PERCENT\(\d+\))$/, 'expected ALL, COUNT(n) or PERCENT(n)').default('ALL'),
})

const actionParams = z.strictObject({
  /** A FIS action id, such as aws:ec2:stop-instances. */
  actionId: z.string().regex(/^aws:[a-z0-9-]+:[a-z0-9-]+$/, 'expected a FIS action id such as aws:ec2:stop-instances'),
  /** Pass the step's duration as the action's `duration` parameter (set false for actions without one). */
  duration: z.boolean().default(true),
  parameters: z.record(z.string(), z.string()).default({}),
  /** The topology region the experiment runs in. */
  region: z.string().min(1),
  /** Action target key (Instances, Subnets …) → target. */
  targets: z.record(z.string(), targetSchema).default({}),
})

/** Any FIS action, in one region, on targets by tag or ARN: `action: aws-fis.action`. */
export const fisAction = fisFault({
  compile(params, {config, duration, topology}) {
    const region = regionTargets(params.region, topology, config)
    if (isDecline(region)) return region
    const targets: Record<string, TargetSpec> = {}
    const actionTargets: Record<string, string> = {}
    for (const [key, target] of Object.entries(params.targets)) {
      const name = key.toLowerCase()
      const {filters, parameters, resourceArns, resourceTags, resourceType, selectionMode} = target
      targets[name] = {
        resourceType,
        selectionMode,
        ...(filters ? {filters} : {}),
        ...(parameters ? {parameters} : {}),
        ...(resourceArns ? {resourceArns} : {resourceTags: resourceTags ?? region.tags}),
      }
      actionTargets[key] = name
    }
    const parameters = params.duration ? {...params.parameters, duration} : params.parameters
    const name = params.actionId.split(':').slice(1).join('-')
    return {
      drafts: [
        {
          actions: {[name]: {actionId: params.actionId, parameters, targets: actionTargets}},
          description: `rift: ${params.actionId} in ${region.aws}`,
          region: region.aws,
          targets,
          topologyRegion: region.name,
        },
      ],
      fidelity: params.duration ? [] : ['the action takes no duration: FIS cannot end it by itself, and stopping the experiment may not undo what it did'],
    }
  },
  params: actionParams,
  summary: 'any FIS action in one region: {region, actionId, parameters, targets: {Instances: {resourceType, resourceTags?}}}',
})
