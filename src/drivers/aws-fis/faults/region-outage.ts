import {faultSchemas} from '../../../experiment/schema.js'
import {fisFault} from '../fault.js'
import {isDecline, otherRegions, regionTargets, type RegionTargets} from '../targets.js'
import {isolationDraft, OUTBOUND_ONLY} from './isolation.js'

/**
 * A region cut off from every other region of the topology, both ways: one experiment in the region
 * (towards each other region) and one in each other region (towards it), all started together.
 */
export const regionOutage = fisFault({
  compile(step, {config, duration, topology}) {
    if (step.mode !== 'blackhole') {
      return {ok: false, reason: `FIS isolation drops traffic; it cannot ${step.mode === 'reject' ? 'refuse connections' : 'reset connections'}`, suggestions: ['Use mode: blackhole (the default) with the aws-fis driver']}
    }
    const region = regionTargets(step.region, topology, config)
    if (isDecline(region)) return region
    const others: RegionTargets[] = []
    for (const name of otherRegions(step.region, topology)) {
      const other = regionTargets(name, topology, config)
      if (isDecline(other)) return other
      if (other.aws === region.aws) return {ok: false, reason: `regions ${step.region} and ${name} are the same AWS region (${region.aws}); FIS isolates between AWS regions`}
      others.push(other)
    }
    if (others.length === 0) return {ok: false, reason: 'the topology has no other region to cut this one off from'}
    return {
      drafts: [isolationDraft(region, others, config, duration), ...others.map((other) => isolationDraft(other, [region], config, duration))],
      fidelity: [
        `${OUTBOUND_ONLY}; this outage runs ${others.length + 1} experiments, in ${region.aws} and in ${others.map((o) => o.aws).join(', ')}`,
        'traffic from the internet into the region is not blocked: drain it from DNS too (fault: dns-failover, driver route53)',
        'FIS resolves the tagged targets when each experiment starts; resources created later are not isolated',
      ],
    }
  },
  params: faultSchemas['region-outage'],
  summary: 'cut a region off from every other region (FIS cross-region connectivity, run from each side)',
})
