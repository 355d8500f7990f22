import type {Driver} from '../drivers/define.js'

/** The drivers a module exports the way plugin modules do: `drivers` or the default export, one or a list. */
export function driversExportedBy(module: Record<string, unknown>): Driver[] {
  const exported = module.drivers ?? module.default
  const list = Array.isArray(exported) ? exported : exported === undefined ? [] : [exported]
  return list.filter((item): item is Driver => typeof item === 'object' && item !== null && typeof (item as Driver).name === 'string')
}
