import {Args, Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {createDefaultRegistry} from '../drivers/index.js'
import type {Journal} from '../engine/journal.js'
import {outstandingFaults, readLedger} from '../engine/ledger.js'
import {assertNothingDeclined, planExperiment} from '../engine/plan.js'
import {runExperiment} from '../engine/run-experiment.js'
import {createRunId} from '../engine/run-id.js'
import {runPaths} from '../engine/run-dir.js'
import {ExitCode} from '../errors.js'
import {loadExperiment} from '../experiment/load.js'
import {PlainReporter} from '../reports/plain.js'

export default class Run extends RiftCommand<Journal> {
  static override args = {file: Args.string({description: 'experiment file (YAML or JSON)', required: true})}
  static override description = `Run an experiment: check the steady state, inject its faults, measure, and always roll back.

Progress goes to stderr; the verdict decides the exit code (0 passed, 3 failed, 4 aborted, 5 error, 6 rollback incomplete, 7 inconclusive, 130 interrupted). The journal is written to .rift/runs/<run-id>/journal.json. Ctrl-C stops the method and reverts everything; a second Ctrl-C leaves at once and prints the rollback command that finishes the job.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml',
    '<%= config.bin %> <%= command.id %> experiments/region-outage-memory.yaml --json > journal.json',
  ]
  static override flags = {
    quiet: Flags.boolean({description: 'print only the verdict, no progress lines'}),
  }

  public async run(): Promise<Journal> {
    const {args, flags} = await this.parse(Run)
    const registry = createDefaultRegistry()
    const experiment = await loadExperiment(args.file, registry)
    const plan = planExperiment(experiment, registry, createRunId())
    assertNothingDeclined(plan, experiment.file)

    const controller = new AbortController()
    const detach = this.#handleSignals(controller, plan.runId)
    try {
      const journal = await runExperiment(experiment, plan, {
        events: this.jsonEnabled() || flags.quiet ? {} : new PlainReporter(),
        registry,
        signal: controller.signal,
      })
      process.exitCode = journal.exitCode
      this.say(`${journal.verdict.toUpperCase()}: ${journal.experiment.title} — ${journal.reason}`)
      return journal
    } finally {
      detach()
    }
  }

  /** First signal: stop and roll back. Second: say what is still held and how to finish, then leave. */
  #handleSignals(controller: AbortController, runId: string): () => void {
    let count = 0
    const onSignal = (signal: NodeJS.Signals): void => {
      count += 1
      if (count === 1) {
        process.stderr.write(`\n${signal}: stopping the method and reverting every fault (press Ctrl-C again to leave at once)\n`)
        controller.abort()
        return
      }
      void readLedger(runPaths(runId).ledger)
        .then(outstandingFaults)
        .catch(() => [])
        .then((held) => {
          const lines = held.map((fault) => `  ${fault.faultId} ${fault.kind} on ${fault.target} (${fault.driver})`)
          process.stderr.write(
            `\n${signal} again: leaving with ${held.length} fault(s) possibly still in force:\n${lines.join('\n')}\n` +
              `Finish with: rift rollback --run ${runId}\n`,
          )
          process.exit(ExitCode.RollbackIncomplete)
        })
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    return () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
