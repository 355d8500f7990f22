import {RiftCommand} from '../base-command.js'
import {loadRegistry} from '../cli/registry.js'
import type {DriverCapabilities} from '../drivers/define.js'
import {describeSource, type DriverLoadProblem, type DriverSource} from '../drivers/registry.js'
import {DRIVER_SDK_VERSION} from '../drivers/sdk-version.js'

export interface DriverInfo {
  actions: string[]
  capabilities: DriverCapabilities
  faults: string[]
  fidelity: string[]
  name: string
  probes: string[]
  /** The driver SDK version the driver was written against. */
  sdkVersion: string
  /** `builtin`, or the plugin package it comes from. */
  source: DriverSource
  summary: string
  /** rift's version for a builtin driver, the plugin's version for a plugin driver. */
  version: string
}

export interface DriversResult {
  drivers: DriverInfo[]
  /** Plugins (or single drivers of theirs) that could not be loaded. */
  problems: DriverLoadProblem[]
  /** The driver SDK version this rift speaks. */
  sdkVersion: string
}

export default class Drivers extends RiftCommand<DriversResult> {
  static override description = `List the drivers rift can use: where each comes from (builtin or a plugin) and its version, the faults, raw actions and probes it offers, and what it cannot honour.

Drivers from oclif plugins (rift plugins install <package>, rift plugins link <dir>) are listed with their plugin; a plugin that fails to load is reported here too.`
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json', '<%= config.bin %> plugins link ./plugins/netem && <%= config.bin %> <%= command.id %>']

  public async run(): Promise<DriversResult> {
    await this.parse(Drivers)
    const registry = await loadRegistry(this.config)
    const drivers = registry.entries().map(({driver, source, version}) => ({
      actions: Object.keys(driver.actions).map((action) => `${driver.name}.${action}`),
      capabilities: driver.capabilities,
      faults: Object.keys(driver.faults),
      fidelity: [...driver.fidelity],
      name: driver.name,
      probes: Object.keys(driver.probes).map((probe) => `${driver.name}.${probe}`),
      sdkVersion: driver.sdkVersion ?? DRIVER_SDK_VERSION,
      source,
      summary: driver.summary,
      version,
    }))
    for (const driver of drivers) {
      const {blastRadius, live, resumableRevert} = driver.capabilities
      this.say(`${driver.name} ${driver.version} (${describeSource(driver.source)}) — ${driver.summary}`)
      this.say(`  blast radius: ${blastRadius}; live: ${live ? 'yes (needs opt-in)' : 'no'}; rollback from ledger: ${resumableRevert ? 'yes' : 'no'}`)
      this.say(`  faults:  ${driver.faults.join(', ') || '(none)'}`)
      this.say(`  actions: ${driver.actions.join(', ') || '(none)'}`)
      this.say(`  probes:  ${driver.probes.join(', ') || '(none)'}`)
      for (const note of driver.fidelity) this.say(`  fidelity: ${note}`)
    }
    const problems = registry.problems()
    for (const problem of problems) {
      this.say(`could not load ${problem.driver ? `driver ${problem.driver} of ` : ''}plugin ${problem.plugin}: ${problem.message}`)
    }
    return {drivers, problems, sdkVersion: DRIVER_SDK_VERSION}
  }
}
