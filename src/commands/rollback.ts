import {Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {loadRegistry} from '../cli/registry.js'
import {rollbackRun, selectRuns, type RunRollback} from '../engine/rollback.js'
import {ExitCode} from '../errors.js'

export interface RollbackResult {
  /** True when nothing was outstanding: running rollback twice is harmless and says so. */
  nothingToDo: boolean
  runs: RunRollback[]
}

export default class Rollback extends RiftCommand<RollbackResult> {
  static override description = `Revert whatever a crashed or killed run left behind, from its ledger in .rift/runs/<run-id>/.

By default looks at the latest run; --run names one, --all looks at every run. Safe to run any number of times: faults already gone count as already reverted. Exits 6 if anything could not be reverted.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --run 20261126-115012-a3f9',
    '<%= config.bin %> <%= command.id %> --all --json',
  ]
  static override flags = {
    all: Flags.boolean({description: 'look at every recorded run', exclusive: ['run']}),
    force: Flags.boolean({description: 'roll back even if the run still seems to be in progress'}),
    run: Flags.string({description: 'the run id to roll back', exclusive: ['all']}),
  }

  public async run(): Promise<RollbackResult> {
    const {flags} = await this.parse(Rollback)
    const registry = await loadRegistry(this.config)
    const runIds = await selectRuns({all: flags.all, runId: flags.run})
    const runs: RunRollback[] = []
    for (const runId of runIds) runs.push(await rollbackRun(runId, {force: flags.force, registry}))

    const faults = runs.flatMap((run) => run.faults.map((fault) => ({...fault, runId: run.runId})))
    const nothingToDo = faults.length === 0
    if (nothingToDo) {
      this.say(runIds.length === 0 ? 'No runs recorded here: nothing to roll back.' : `Nothing to roll back: every fault of ${runIds.length === 1 ? `run ${runIds[0]}` : `${runIds.length} runs`} is already reverted.`)
    }
    for (const fault of faults) {
      const detail = fault.outcome === 'failed' ? `FAILED: ${fault.error}` : fault.outcome
      this.say(`${fault.runId} ${fault.faultId} ${fault.kind} on ${fault.target} (${fault.driver}): ${detail}`)
    }
    const failed = faults.filter((fault) => fault.outcome === 'failed')
    if (failed.length > 0) {
      process.exitCode = ExitCode.RollbackIncomplete
      this.say(`${failed.length} fault(s) could not be reverted; fix the cause and run this command again.`)
    }
    return {nothingToDo, runs}
  }
}
