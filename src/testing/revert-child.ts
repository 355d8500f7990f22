/**
 * The kit's fresh process: imports a driver module, finds the driver by name and reverts a run from its ledger
 * exactly as `rift rollback` does, sharing nothing with the process that injected. Prints the outcome as JSON.
 *
 * argv: <module URL> <driver name> <run id> <state dir>
 */
import {DriverRegistry} from '../drivers/registry.js'
import {rollbackRun} from '../engine/rollback.js'
import {driversExportedBy} from './module.js'

const [moduleUrl, driverName, runId, stateDir] = process.argv.slice(2)
if (!moduleUrl || !driverName || !runId || !stateDir) {
  process.stderr.write('usage: revert-child <module URL> <driver name> <run id> <state dir>\n')
  process.exit(2)
}
const drivers = driversExportedBy((await import(moduleUrl)) as Record<string, unknown>)
const driver = drivers.find((candidate) => candidate.name === driverName)
if (!driver) {
  process.stderr.write(`${moduleUrl} exports no driver named "${driverName}" (it exports: ${drivers.map((d) => d.name).join(', ') || 'none'})\n`)
  process.exit(2)
}
// force: the ledger's run-started entry names the parent, which is alive; it is not reverting this run.
const result = await rollbackRun(runId, {force: true, registry: new DriverRegistry([driver]), stateDir})
process.stdout.write(JSON.stringify(result) + '\n')
