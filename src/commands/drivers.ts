import {RiftCommand} from '../base-command.js'
import {createDefaultRegistry} from '../drivers/index.js'
import type {DriverCapabilities} from '../drivers/define.js'

export interface DriverInfo {
  actions: string[]
  capabilities: DriverCapabilities
  faults: string[]
  fidelity: string[]
  name: string
  probes: string[]
  summary: string
}

export default class Drivers extends RiftCommand<DriverInfo[]> {
  static override description = 'List the drivers rift can use: the faults, raw actions and probes each offers, and what each cannot honour.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  public async run(): Promise<DriverInfo[]> {
    await this.parse(Drivers)
    const drivers = createDefaultRegistry()
      .list()
      .map((driver) => ({
        actions: Object.keys(driver.actions).map((action) => `${driver.name}.${action}`),
        capabilities: driver.capabilities,
        faults: Object.keys(driver.faults),
        fidelity: [...driver.fidelity],
        name: driver.name,
        probes: Object.keys(driver.probes).map((probe) => `${driver.name}.${probe}`),
        summary: driver.summary,
      }))
    for (const driver of drivers) {
      const {blastRadius, live, resumableRevert} = driver.capabilities
      this.say(`${driver.name} — ${driver.summary}`)
      this.say(`  blast radius: ${blastRadius}; live: ${live ? 'yes (needs opt-in)' : 'no'}; rollback from ledger: ${resumableRevert ? 'yes' : 'no'}`)
      this.say(`  faults:  ${driver.faults.join(', ') || '(none)'}`)
      this.say(`  actions: ${driver.actions.join(', ') || '(none)'}`)
      this.say(`  probes:  ${driver.probes.join(', ') || '(none)'}`)
      for (const note of driver.fidelity) this.say(`  fidelity: ${note}`)
    }
    return drivers
  }
}
