import {Args, Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {loadRegistry} from '../cli/registry.js'
import {planExperiment, type ExperimentPlan} from '../engine/plan.js'
import {RiftError} from '../errors.js'
import {loadExperiment} from '../experiment/load.js'
import {formatPlan} from '../reports/plan-text.js'

export interface PlanResult extends ExperimentPlan {
  file: string
  title: string
}

export default class Plan extends RiftCommand<PlanResult> {
  static override args = {file: Args.string({description: 'experiment file (YAML or JSON)', required: true})}
  static override description = `Show what each driver would do for an experiment, and what it cannot honour. Changes nothing.

Resource names are derived from the run id; the plan uses the run id "preview" unless --run-id is given. Exits 2 when a driver declines a fault, after listing every step.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml',
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml --json',
  ]
  static override flags = {
    'run-id': Flags.string({default: 'preview', description: 'run id to derive resource names from'}),
  }

  public async run(): Promise<PlanResult> {
    const {args, flags} = await this.parse(Plan)
    const registry = await loadRegistry(this.config)
    const experiment = await loadExperiment(args.file, registry)
    const plan = planExperiment(experiment, registry, flags['run-id'])
    const result: PlanResult = {...plan, file: experiment.file, title: experiment.doc.title}
    if (this.jsonEnabled()) {
      if (plan.declined.length > 0) process.exitCode = new RiftError('RIFT_FAULT_DECLINED', '').exitCode
      return result
    }
    this.log(formatPlan(result, experiment.doc.steadyState.length))
    if (plan.declined.length > 0) {
      throw new RiftError('RIFT_FAULT_DECLINED', `${plan.declined.length} fault(s) in ${experiment.file} cannot be run by their driver`, {
        suggestions: [...new Set(plan.declined.flatMap((d) => d.suggestions)), 'See what each driver supports: rift drivers'],
      })
    }
    return result
  }
}
