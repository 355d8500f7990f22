import {Args} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {loadRegistry} from '../cli/registry.js'
import {assertNothingDeclined, planExperiment} from '../engine/plan.js'
import {loadExperiment} from '../experiment/load.js'
import {EXPERIMENT_VERSION} from '../experiment/schema.js'

export interface ValidateResult {
  /** Configured driver names, the default first. */
  drivers: string[]
  /** Fault and raw action steps: everything that will be injected and reverted. */
  faults: number
  file: string
  steps: number
  title: string
  valid: true
}

export default class Validate extends RiftCommand<ValidateResult> {
  static override args = {file: Args.string({description: 'experiment file (YAML or JSON)', required: true})}
  static override description = `Check an experiment file without running anything.

Reports every problem at once, each with file:line:column, the field path, what was expected and what was found, with "did you mean" for misspelled keys, fault kinds, regions and driver names. Checks the schema, references to the topology's regions and links, SLO objectives, and each driver's config, actions, probes and params. Then compiles the plan, so faults a driver cannot honour are reported too. Exits 0 when the file is valid and 2 when it is not.`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml', description: 'Check an experiment'},
    {
      command: '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml --json',
      description: 'Machine-readable: every problem is in error.details.issues',
    },
  ]

  public async run(): Promise<ValidateResult> {
    const {args} = await this.parse(Validate)
    const registry = await loadRegistry(this.config)
    const experiment = await loadExperiment(args.file, registry)
    // Compiling the plan catches what only a driver can judge (a link its params name, a topology that
    // lacks the replication link a fault needs); it is pure, so validate still changes nothing.
    assertNothingDeclined(planExperiment(experiment, registry, 'validate'), experiment.file)
    const {method, title} = experiment.doc
    const faults = method.filter((step) => 'fault' in step || 'action' in step).length
    const result: ValidateResult = {drivers: Object.keys(experiment.drivers), faults, file: args.file, steps: method.length, title, valid: true}
    this.say(
      `✓ ${args.file} is a valid ${EXPERIMENT_VERSION} experiment: ${JSON.stringify(title)} (${plural(result.steps, 'step')}, ${plural(faults, 'fault')})`,
    )
    return result
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
