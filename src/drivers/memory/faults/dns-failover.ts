import {faultSchemas} from '../../../experiment/schema.js'
import {defineFabricFault} from '../fabric-fault.js'
import {checkRegion} from '../topology.js'

/**
 * Drains a region from DNS: clients are no longer routed to it (the path probe reports `drained`), while the
 * region itself stays up and reachable, as after a real DNS failover.
 */
export const dnsFailover = defineFabricFault({
  summary: 'Drain a region from DNS so clients are routed elsewhere; the region stays up.',
  params: faultSchemas['dns-failover'],
  fault: 'dns-failover',
  compile(step, {topology}) {
    const problem = checkRegion(topology, 'region', step.region)
    if (problem) return problem
    return {
      effects: [{kind: 'drain', region: step.region}],
      fidelity: ['the drain takes effect at once: no resolver caches, TTLs or health-check intervals are simulated'],
      ok: true,
      target: `DNS for region ${step.region}`,
    }
  },
})
