import type {Config} from '@oclif/core'

import {createRegistry} from '../drivers/index.js'
import type {PluginPackage} from '../drivers/plugins.js'
import type {DriverRegistry} from '../drivers/registry.js'

/** The registry a command uses: first-party drivers plus those of every installed or linked oclif plugin. */
export function loadRegistry(config: Config): Promise<DriverRegistry> {
  const plugins: PluginPackage[] = config.getPluginsList().map((plugin) => ({
    name: plugin.name,
    pjson: plugin.pjson as PluginPackage['pjson'],
    root: plugin.root,
    version: plugin.version,
  }))
  return createRegistry({plugins})
}
