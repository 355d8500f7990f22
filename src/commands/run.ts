import {Args, Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {loadRegistry} from '../cli/registry.js'
import {chooseProgress} from '../cli/progress.js'
import {runExperimentFile} from '../cli/run-file.js'
import type {Journal} from '../engine/journal.js'

export default class Run extends RiftCommand<Journal> {
  static override args = {file: Args.string({description: 'experiment file (YAML or JSON)', required: true})}
  static override description = `Run an experiment: check the steady state, inject its faults, measure, and always roll back.

Progress goes to stderr: on a terminal a live view (phase, faults with countdowns, probes, the prober's success rate and latency, the write ledger) redrawn in place, then the SLO table and the verdict; otherwise (CI, a pipe, --no-live, RIFT_NO_LIVE=1) plain timestamped lines. The verdict decides the exit code (0 passed, 3 failed, 4 aborted, 5 error, 6 rollback incomplete, 7 inconclusive, 130 interrupted). Live drivers (aws-fis, route53) act only with --live, after a typed confirmation on a terminal or --yes in CI, and only in the AWS accounts and regions the experiment's guardrails allow. The journal is written to .rift/runs/<run-id>/journal.json. An experiment with sandbox: gets rift's practice system started before and stopped after. Ctrl-C stops the method and reverts everything; a second Ctrl-C leaves at once and prints the rollback command that finishes the job.

--gameday runs it with people watching: the live view full screen, a pause before each fault (y inject, s skip, a abort and roll back), and notes (n) that land on the journal's timeline. See docs/gameday.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml',
    '<%= config.bin %> <%= command.id %> experiments/sandbox/active-passive-outage.yaml',
    '<%= config.bin %> <%= command.id %> experiments/sandbox/active-passive-outage.yaml --gameday',
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml --json > journal.json',
    '<%= config.bin %> <%= command.id %> experiments/aws/active-passive-region-outage.yaml --live',
  ]
  static override flags = {
    gameday: Flags.boolean({description: 'full-screen live view, confirm each fault (y/s/a), type notes onto the timeline (n); needs a terminal'}),
    'no-live': Flags.boolean({description: 'plain timestamped progress lines even on a terminal (also RIFT_NO_LIVE=1)'}),
    live: Flags.boolean({description: 'allow live drivers (aws-fis, route53) to change real infrastructure'}),
    quiet: Flags.boolean({description: 'print only the verdict, no progress lines'}),
    yes: Flags.boolean({dependsOn: ['live'], description: 'skip the confirmation prompt of a live run (for CI)'}),
  }

  public async run(): Promise<Journal> {
    const {args, flags} = await this.parse(Run)
    const progress = chooseProgress({gameday: flags.gameday, json: this.jsonEnabled(), noLive: flags['no-live'], quiet: flags.quiet})
    let journal: Journal
    try {
      journal = await runExperimentFile(args.file, {
        confirm: {yes: flags.yes},
        events: progress.events,
        live: flags.live,
        registry: await loadRegistry(this.config),
        ...(progress.say ? {say: progress.say} : {}),
        ...(progress.beforeFault ? {beforeFault: progress.beforeFault} : {}),
        ...(progress.restore ? {restore: progress.restore} : {}),
      })
    } finally {
      progress.restore?.()
    }
    process.exitCode = journal.exitCode
    this.say(`${journal.verdict.toUpperCase()}: ${journal.experiment.title} — ${journal.reason}`)
    return journal
  }
}
