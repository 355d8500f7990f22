import {Args, Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {runExperimentFile} from '../cli/run-file.js'
import type {Journal} from '../engine/journal.js'
import {PlainReporter, progressLine} from '../reports/plain.js'

export default class Run extends RiftCommand<Journal> {
  static override args = {file: Args.string({description: 'experiment file (YAML or JSON)', required: true})}
  static override description = `Run an experiment: check the steady state, inject its faults, measure, and always roll back.

Progress goes to stderr; the verdict decides the exit code (0 passed, 3 failed, 4 aborted, 5 error, 6 rollback incomplete, 7 inconclusive, 130 interrupted). The journal is written to .rift/runs/<run-id>/journal.json. An experiment with sandbox: gets rift's practice system started before and stopped after. Live drivers (aws-fis, route53) act only with --live, after a typed confirmation on a terminal or --yes in CI, and only in the AWS accounts and regions the experiment's guardrails allow. Ctrl-C stops the method and reverts everything; a second Ctrl-C leaves at once and prints the rollback command that finishes the job.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml',
    '<%= config.bin %> <%= command.id %> experiments/sandbox/active-passive-outage.yaml',
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml --json > journal.json',
    '<%= config.bin %> <%= command.id %> experiments/aws/active-passive-region-outage.yaml --live',
  ]
  static override flags = {
    live: Flags.boolean({description: 'allow live drivers (aws-fis, route53) to change real infrastructure'}),
    quiet: Flags.boolean({description: 'print only the verdict, no progress lines'}),
    yes: Flags.boolean({dependsOn: ['live'], description: 'skip the confirmation prompt of a live run (for CI)'}),
  }

  public async run(): Promise<Journal> {
    const {args, flags} = await this.parse(Run)
    const quiet = this.jsonEnabled() || flags.quiet
    const journal = await runExperimentFile(args.file, {
      confirm: {yes: flags.yes},
      events: quiet ? {} : new PlainReporter(),
      live: flags.live,
      ...(quiet ? {} : {say: progressLine}),
    })
    process.exitCode = journal.exitCode
    this.say(`${journal.verdict.toUpperCase()}: ${journal.experiment.title} — ${journal.reason}`)
    return journal
  }
}
