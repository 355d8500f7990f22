/**
 * Tolerances on a probe's value as SLOs: `slos: {"probe:replica-lag": "<= 500"}` judges every numeric value
 * the probe named `replica-lag` returned in the run (steady state before and after, and in the method). The
 * observed value is the one that decides: the largest for `<`/`<=`, the smallest for `>`/`>=`, and for
 * `==`/`!=` the first reading that breaks the objective (the last reading when none does).
 *
 * A reading is the probe's value when it is a number, a string holding one, or a command probe's stdout
 * holding one (`412\n`); an HTTP probe's value is its status code.
 *
 * Each reading is a complete observation of what the probe checks, so one reading is enough to judge
 * (`PROBE_SLO_MIN_SAMPLES`); a probe that never returned a number leaves the SLO inconclusive.
 */
import type {Measurement, ProbeRecord} from '../engine/journal.js'
import {compareObjective, parseObjective} from './objective.js'

export const PROBE_SLO_PREFIX = 'probe:'
export const PROBE_SLO_MIN_SAMPLES = 1

export function probeSloMeasurements(slos: Record<string, string>, records: readonly ProbeRecord[]): Record<string, Measurement> {
  const out: Record<string, Measurement> = {}
  for (const [name, text] of Object.entries(slos)) {
    if (!name.startsWith(PROBE_SLO_PREFIX)) continue
    const probe = name.slice(PROBE_SLO_PREFIX.length)
    const values = records.filter((record) => record.name === probe && !record.error).flatMap((record) => numericReading(record.value))
    const parsed = parseObjective(text)
    if (values.length === 0 || !parsed.ok) continue
    const {objective} = parsed
    let decisive: number
    switch (objective.op) {
      case '<':
      case '<=':
        decisive = Math.max(...values)
        break
      case '>':
      case '>=':
        decisive = Math.min(...values)
        break
      case '==':
      case '!=':
        decisive = values.find((value) => !compareObjective(objective, value)) ?? (values.at(-1) as number)
        break
    }
    out[name] = {resolution: null, samples: values.length, unit: 'count', value: decisive}
  }
  return out
}

function numericReading(value: unknown): number[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : []
  if (typeof value === 'string') {
    const trimmed = value.trim()
    return trimmed !== '' && Number.isFinite(Number(trimmed)) ? [Number(trimmed)] : []
  }
  if (typeof value === 'object' && value !== null && 'stdout' in value) return numericReading((value).stdout)
  return []
}
