import {faultSchemas} from '../../../experiment/schema.js'
import {fisFault} from '../fault.js'
import {isDecline, regionTargets, taggedTarget} from '../targets.js'
import type {ActionSpec, TargetSpec} from '../template.js'

/** S3 replication and DynamoDB global table replication paused from one region, on its tagged buckets and tables. */
export const replicationPause = fisFault({
  compile(step, {config, duration, topology}) {
    const from = regionTargets(step.from, topology, config)
    if (isDecline(from)) return from
    const to = regionTargets(step.to, topology, config)
    if (isDecline(to)) return to
    const targets: Record<string, TargetSpec> = {}
    const actions: Record<string, ActionSpec> = {}
    const fidelity: string[] = []
    if (config.replication.includes('s3')) {
      targets.buckets = taggedTarget('aws:s3:bucket', from.tags)
      actions['pause-s3-replication'] = {
        actionId: 'aws:s3:bucket-pause-replication',
        description: `pause S3 replication from ${from.aws} buckets to ${to.aws}`,
        parameters: {duration, region: to.aws},
        targets: {Buckets: 'buckets'},
      }
      fidelity.push('S3: objects already queued for replication may keep replicating for up to an hour after the pause begins')
    }
    if (config.replication.includes('dynamodb')) {
      targets.tables = taggedTarget('aws:dynamodb:global-table', from.tags)
      actions['pause-dynamodb-replication'] = {
        actionId: 'aws:dynamodb:global-table-pause-replication',
        description: `pause DynamoDB global table replication of ${from.aws} tables`,
        parameters: {duration},
        targets: {Tables: 'tables'},
      }
      fidelity.push(`DynamoDB: replication pauses into and out of ${from.aws} (every replica region, not only ${to.aws}), and may go on for up to 5 minutes after the pause begins`)
    }
    return {
      drafts: [{actions, description: `rift: pause replication from ${from.aws} to ${to.aws}`, region: from.aws, targets, topologyRegion: from.name}],
      fidelity,
    }
  },
  params: faultSchemas['replication-pause'],
  summary: 'pause S3 and DynamoDB global table replication from one region (FIS pause-replication actions)',
})
