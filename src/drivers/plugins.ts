/**
 * Drivers from oclif plugins. A plugin declares the module that exports its drivers in its package.json:
 *
 *     "oclif": {},
 *     "rift": {"drivers": "./dist/drivers.js"}
 *
 * The module's default export (or a `drivers` export) is one driver or a list of them. Declaring the module in
 * package.json, rather than in an oclif hook, lets rift see which plugins carry drivers without importing any
 * code, and import only those. A plugin that fails to load is recorded in the registry, not fatal: a broken
 * plugin must not stop an experiment that does not use it.
 */
import {isAbsolute, relative, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {errorMessage} from '../errors.js'
import type {Driver} from './define.js'
import type {DriverRegistry} from './registry.js'

/** What rift needs of an oclif plugin (`Config.getPluginsList()` gives these). */
export interface PluginPackage {
  name: string
  pjson: {rift?: {drivers?: unknown}}
  root: string
  version: string
}

/** The drivers module a plugin declares, as an absolute path inside the plugin; undefined when it declares none. */
export function driversModuleOf(plugin: PluginPackage): string | undefined {
  const declared = plugin.pjson.rift?.drivers
  if (declared === undefined) return undefined
  if (typeof declared !== 'string' || declared.trim() === '') throw new Error('"rift.drivers" in its package.json must be a path such as ./dist/drivers.js')
  const file = resolve(plugin.root, declared)
  const inside = relative(plugin.root, file)
  if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`"rift.drivers" (${declared}) points outside the plugin`)
  return file
}

function driversIn(module: Record<string, unknown>): unknown[] {
  const exported = module.drivers ?? module.default
  if (exported === undefined) throw new Error('its drivers module has neither a default export nor a `drivers` export')
  return Array.isArray(exported) ? exported : [exported]
}

/** Imports each plugin's drivers module and registers its drivers, with the plugin as their source. */
export async function addPluginDrivers(registry: DriverRegistry, plugins: readonly PluginPackage[]): Promise<void> {
  for (const plugin of plugins) {
    let drivers: unknown[]
    try {
      const file = driversModuleOf(plugin)
      if (file === undefined) continue
      drivers = driversIn((await import(pathToFileURL(file).href)) as Record<string, unknown>)
    } catch (error) {
      registry.addProblem({message: errorMessage(error), plugin: plugin.name})
      continue
    }
    for (const driver of drivers) {
      try {
        registry.add(driver as Driver, {source: {plugin: plugin.name, type: 'plugin'}, version: plugin.version})
      } catch (error) {
        const name = (driver as {name?: unknown} | null)?.name
        registry.addProblem({...(typeof name === 'string' ? {driver: name} : {}), message: errorMessage(error), plugin: plugin.name})
      }
    }
  }
}
