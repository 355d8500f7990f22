import type {Region, Topology} from '../drivers/define.js'
import type {ExperimentDocument} from './schema.js'

/** A validated experiment, normalised for the engine: regions as objects, drivers as a name → config map. */
export interface Experiment {
  /** The parsed document with defaults applied. */
  doc: ExperimentDocument
  /** Driver name → raw config object, in declaration order; validated against each driver's schema. */
  drivers: Record<string, Record<string, unknown>>
  /** The driver faults use unless they name another one: the first configured. */
  defaultDriver: string
  /** The file as the user named it (`<inline>` when built in code). */
  file: string
  topology: Topology
}

/** Regions may be written as bare names; the engine always sees objects. */
export function normaliseRegions(regions: ExperimentDocument['topology']['regions']): Region[] {
  return regions.map((region) =>
    typeof region === 'string'
      ? {name: region, services: {}, tags: {}}
      : {name: region.name, services: region.services ?? {}, tags: region.tags ?? {}},
  )
}

export function normaliseDrivers(driver: ExperimentDocument['driver']): Record<string, Record<string, unknown>> {
  if (typeof driver === 'string') return {[driver]: {}}
  return Object.fromEntries(Object.entries(driver).map(([name, config]) => [name, config ?? {}]))
}

/** Build an Experiment from an already-validated document (the loader, and tests that skip the file). */
export function toExperiment(doc: ExperimentDocument, file = '<inline>'): Experiment {
  const drivers = normaliseDrivers(doc.driver)
  return {
    defaultDriver: Object.keys(drivers)[0]!,
    doc,
    drivers,
    file,
    topology: {links: doc.topology.links, regions: normaliseRegions(doc.topology.regions)},
  }
}
