import {RIFT_VERSION} from '../version.js'
import awsFis from './aws-fis/index.js'
import memory from './memory/index.js'
import {addPluginDrivers, type PluginPackage} from './plugins.js'
import route53 from './route53/index.js'
import sandbox from './sandbox/index.js'
import toxiproxy from './toxiproxy/index.js'
import {DriverRegistry} from './registry.js'

/** The first-party drivers; file name, registry key and experiment name are the same string. */
export const builtinDrivers = [memory, toxiproxy, sandbox, awsFis, route53]

/** The first-party drivers alone: for library use and tests, which load no plugins. */
export function createDefaultRegistry(): DriverRegistry {
  return new DriverRegistry(builtinDrivers, {source: {type: 'builtin'}, version: RIFT_VERSION})
}

/** First-party drivers, then every driver the given oclif plugins declare (see src/drivers/plugins.ts). */
export async function createRegistry(options: {plugins?: readonly PluginPackage[]} = {}): Promise<DriverRegistry> {
  const registry = createDefaultRegistry()
  await addPluginDrivers(registry, options.plugins ?? [])
  return registry
}
