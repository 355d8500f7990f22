import {Args, Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {loadRegistry} from '../cli/registry.js'
import {planExperiment, type ExperimentPlan} from '../engine/plan.js'
import {createRunId} from '../engine/run-id.js'
import {RiftError} from '../errors.js'
import {loadExperiment} from '../experiment/load.js'
import {formatPlan, formatPreviews} from '../reports/plan-text.js'
import type {FaultPreview} from '../engine/preview.js'

export interface PlanResult extends ExperimentPlan {
  file: string
  /** With --preview: what each fault would hit, as its driver's backend resolved it. */
  previews?: FaultPreview[]
  title: string
}

export default class Plan extends RiftCommand<PlanResult> {
  static override args = {file: Args.string({description: 'experiment file (YAML or JSON)', required: true})}
  static override description = `Show what each driver would do for an experiment, and what it cannot honour. Changes nothing.

Resource names are derived from the run id; the plan uses the run id "preview" unless --run-id is given. Exits 2 when a driver declines a fault, after listing every step.

--preview also asks the drivers that can what each fault would hit, injecting nothing: aws-fis starts each experiment as a FIS target preview (actionsMode skip-all), lists the resolved targets and deletes the template. It calls the cloud with your credentials (their account must be in guardrails.allowAccounts), so it uses a fresh run id.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml',
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml --json',
    '<%= config.bin %> <%= command.id %> experiments/aws/active-passive-region-outage.yaml --preview',
  ]
  static override flags = {
    preview: Flags.boolean({description: 'ask the drivers what each fault would hit (FIS target preview); injects nothing'}),
    'run-id': Flags.string({default: 'preview', description: 'run id to derive resource names from'}),
  }

  public async run(): Promise<PlanResult> {
    const {args, flags} = await this.parse(Plan)
    const registry = await loadRegistry(this.config)
    const experiment = await loadExperiment(args.file, registry)
    // A preview creates (and removes) cloud resources named after the run id: a fresh one each time.
    const runId = flags.preview && flags['run-id'] === 'preview' ? `preview-${createRunId()}` : flags['run-id']
    const plan = planExperiment(experiment, registry, runId)
    const result: PlanResult = {...plan, file: experiment.file, title: experiment.doc.title}
    if (flags.preview && plan.declined.length === 0) {
      const {previewPlan} = await import('../engine/preview.js')
      result.previews = await previewPlan(experiment, plan, registry)
    }
    if (this.jsonEnabled()) {
      if (plan.declined.length > 0) process.exitCode = new RiftError('RIFT_FAULT_DECLINED', '').exitCode
      return result
    }
    this.log(formatPlan(result, experiment.doc.steadyState.length))
    if (result.previews) this.log(formatPreviews(result.previews))
    if (plan.declined.length > 0) {
      throw new RiftError('RIFT_FAULT_DECLINED', `${plan.declined.length} fault(s) in ${experiment.file} cannot be run by their driver`, {
        suggestions: [...new Set(plan.declined.flatMap((d) => d.suggestions)), 'See what each driver supports: rift drivers'],
      })
    }
    return result
  }
}
