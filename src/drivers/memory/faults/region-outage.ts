import {CLIENTS, faultSchemas} from '../../../experiment/schema.js'
import {defineFabricFault} from '../fabric-fault.js'
import {checkRegion, fabricPaths} from '../topology.js'

/**
 * The region goes dark: every path into and out of it, clients→region included, whether or not a link
 * declares it. The plan lists the concrete paths; the outage covers any path a probe asks about.
 */
export const regionOutage = defineFabricFault({
  summary: 'Cut every path into and out of a region, including clients→region; the mode is recorded.',
  params: faultSchemas['region-outage'],
  fault: 'region-outage',
  compile(step, {topology}) {
    const problem = checkRegion(topology, 'region', step.region)
    if (problem) return problem
    const touching = fabricPaths(topology).filter((path) => path.from === step.region || path.to === step.region)
    const paths = touching.some((path) => path.from === CLIENTS && path.to === step.region)
      ? touching
      : [{from: CLIENTS, links: [], to: step.region}, ...touching]
    return {
      effects: [{kind: 'region-down', mode: step.mode, paths, region: step.region}],
      fidelity: [`mode ${step.mode} is recorded, not enacted: the fabric moves no packets, so every mode reads as unreachable`],
      ok: true,
      target: `region ${step.region}`,
    }
  },
})
