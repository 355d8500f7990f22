import {faultSchemas} from '../../../experiment/schema.js'
import {parseDuration} from '../../../util/duration.js'
import {findRegion} from '../../aws/regions.js'
import type {FisConfig} from '../config.js'
import {fisFault} from '../fault.js'
import {isDecline, regionTargets, taggedTarget, type Decline, type RegionTargets} from '../targets.js'
import type {ExperimentDraft} from '../template.js'

const LATENCY_DOCUMENT = 'AWSFIS-Run-Network-Latency-Sources'

const ms = (text: string): number => {
  const parsed = parseDuration(text)
  return parsed.ok ? parsed.ms : 0
}

/**
 * What the latency document delays traffic to: the driver's `latencySources` for the destination region,
 * else the host names of the destination's topology services.
 */
function sourcesFor(name: string, topology: Parameters<typeof findRegion>[0], config: FisConfig): string | Decline {
  const configured = config.latencySources[name]
  if (configured) return configured
  const hosts = Object.values(findRegion(topology, name)?.services ?? {}).map((address) => address.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''))
  if (hosts.length > 0) return [...new Set(hosts)].join(',')
  return {
    ok: false,
    reason: `the latency document needs the addresses of ${name} to delay traffic to, and neither latencySources nor the topology's services give any`,
    suggestions: [`Set them: driver: {aws-fis: {latencySources: {${name}: "10.1.0.0/16,dynamodb.${name}.amazonaws.com"}}}`],
  }
}

function latencyDraft(from: RegionTargets, to: RegionTargets, sources: string, step: {jitter: string; latency: string}, durationMs: number, duration: string): ExperimentDraft {
  const documentParameters = {
    DelayMilliseconds: String(ms(step.latency)),
    DurationSeconds: String(Math.max(1, Math.ceil(durationMs / 1000))),
    InstallDependencies: 'True',
    JitterMilliseconds: String(ms(step.jitter)),
    Sources: sources,
    TrafficType: 'egress',
  }
  return {
    actions: {
      [`delay-to-${to.aws}`]: {
        actionId: 'aws:ssm:send-command',
        description: `delay traffic from ${from.aws} instances to ${to.aws} by ${step.latency}`,
        parameters: {
          documentArn: `arn:aws:ssm:${from.aws}::document/${LATENCY_DOCUMENT}`,
          documentParameters: JSON.stringify(documentParameters),
          duration,
        },
        targets: {Instances: 'instances'},
      },
    },
    description: `rift: ${step.latency} latency from ${from.aws} to ${to.aws}`,
    region: from.aws,
    targets: {instances: taggedTarget('aws:ec2:instance', from.tags)},
    topologyRegion: from.name,
  }
}

/** Egress latency on the tagged instances of a region, towards the other region's addresses (tc, through SSM). */
export const latency = fisFault({
  compile(step, {config, duration, durationMs = 0, topology}) {
    const from = regionTargets(step.from, topology, config)
    if (isDecline(from)) return from
    const to = regionTargets(step.to, topology, config)
    if (isDecline(to)) return to
    const towardsTo = sourcesFor(step.to, topology, config)
    if (typeof towardsTo !== 'string') return towardsTo
    const drafts = [latencyDraft(from, to, towardsTo, step, durationMs, duration)]
    if (step.direction === 'both') {
      const towardsFrom = sourcesFor(step.from, topology, config)
      if (typeof towardsFrom !== 'string') return towardsFrom
      drafts.push(latencyDraft(to, from, towardsFrom, step, durationMs, duration))
    }
    return {
      drafts,
      fidelity: [
        `latency is added by ${LATENCY_DOCUMENT} (tc, through SSM) on the tagged EC2 instances only, at most 5 per experiment, on egress to the listed sources`,
        'the SSM document needs the SSM agent on each instance and installs tc, dig and jq unless they are there',
        'the document runs for the fault\'s duration on its own; stopping the experiment cancels the command, and the document\'s rollback removes the delay',
      ],
    }
  },
  params: faultSchemas.latency,
  summary: 'delay traffic from one region\'s instances to another region (FIS aws:ssm:send-command, AWSFIS-Run-Network-Latency-Sources)',
})
