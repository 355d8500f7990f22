/**
 * SLO verdicts: each objective judged against its measurement. No measurement, or too few samples, is
 * inconclusive, never a pass: a run that measured nothing cannot claim to have met anything.
 */
import type {Measurement, SloResult} from '../engine/journal.js'
import {compareObjective, parseObjective} from './objective.js'
import {PROBE_SLO_MIN_SAMPLES, PROBE_SLO_PREFIX} from './probe-slo.js'

/**
 * Below this many samples a measurement says too little to judge: ten probes or ten acknowledged writes is
 * already a thin basis, but fewer cannot tell a blip from an outage.
 */
export const MIN_SAMPLES = 10

export function evaluateSlos(slos: Record<string, string>, measurements: Record<string, Measurement>): SloResult[] {
  return Object.entries(slos).map(([name, objective]) => {
    const base = {name, objective}
    const parsed = parseObjective(objective)
    const measured = measurements[name]
    if (!parsed.ok) {
      return {...base, detail: `cannot parse the objective: ${parsed.reason}`, observed: null, resolution: null, samples: 0, status: 'inconclusive' as const}
    }
    if (!measured) {
      return {
        ...base,
        detail: name.startsWith(PROBE_SLO_PREFIX) ? `the probe "${name.slice(PROBE_SLO_PREFIX.length)}" returned no numeric value in this run` : `nothing in this run measured ${name}; add a workload that does`,
        observed: null,
        resolution: null,
        samples: 0,
        status: 'inconclusive' as const,
      }
    }
    const {resolution, samples, value} = measured
    if (samples < (name.startsWith(PROBE_SLO_PREFIX) ? PROBE_SLO_MIN_SAMPLES : MIN_SAMPLES)) {
      return {...base, detail: `${samples} sample(s) are too few to judge`, observed: value, resolution, samples, status: 'inconclusive' as const}
    }
    const met = compareObjective(parsed.objective, value)
    return {...base, detail: met ? 'met' : 'not met', observed: value, resolution, samples, status: met ? ('pass' as const) : ('fail' as const)}
  })
}
