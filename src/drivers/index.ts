import awsFis from './aws-fis/index.js'
import memory from './memory/index.js'
import route53 from './route53/index.js'
import sandbox from './sandbox/index.js'
import toxiproxy from './toxiproxy/index.js'
import {DriverRegistry} from './registry.js'

/** The first-party drivers; file name, registry key and experiment name are the same string. */
export const builtinDrivers = [memory, toxiproxy, sandbox, awsFis, route53]

export function createDefaultRegistry(): DriverRegistry {
  return new DriverRegistry(builtinDrivers)
}
