/**
 * What `rift run` and `rift demo` share: load, plan (refusing before anything happens), start the sandbox
 * when the experiment asks for one, run with signals wired to the engine, and return the journal.
 * First SIGINT/SIGTERM: stop the method and roll back. Second: say what is still held and leave.
 */
import type {DriverRegistry} from '../drivers/registry.js'
import type {BeforeFault, RunEvents} from '../engine/events.js'
import type {Journal} from '../engine/journal.js'
import {outstandingFaults, readLedger} from '../engine/ledger.js'
import {assertLiveOptIn, assertNothingDeclined, planExperiment} from '../engine/plan.js'
import {runExperiment} from '../engine/run-experiment.js'
import {runPaths} from '../engine/run-dir.js'
import {createRunId} from '../engine/run-id.js'
import {ExitCode} from '../errors.js'
import {loadExperiment} from '../experiment/load.js'
import {withSandbox} from '../sandbox/lifecycle.js'
import {confirmLiveRun, type ConfirmOptions} from './confirm-live.js'

export interface RunFileOptions {
  /** How a live run is confirmed (`--yes`, or a prompt on a terminal). */
  confirm?: ConfirmOptions
  events: RunEvents
  /** First-party and plugin drivers (see src/cli/registry.ts). */
  registry: DriverRegistry
  /** Opt in to live drivers (`--live`); without it an experiment that uses one is refused before anything connects. */
  live?: boolean
  /** Progress lines outside the engine (the sandbox starting and stopping); silent when undefined. */
  say?: (line: string) => void
  /** Asked before each fault (`--gameday`). */
  beforeFault?: BeforeFault
  /** Gives the terminal back before a second signal leaves at once (the live view). */
  restore?: () => void
}

export async function runExperimentFile(file: string, options: RunFileOptions): Promise<Journal> {
  const {registry} = options
  const experiment = await loadExperiment(file, registry)
  const plan = planExperiment(experiment, registry, createRunId())
  assertNothingDeclined(plan, experiment.file)
  assertLiveOptIn(plan, experiment.file, options.live ?? false)
  await confirmLiveRun(plan, experiment, options.confirm ?? {})

  const controller = new AbortController()
  const detach = handleSignals(controller, plan.runId, options)
  try {
    return await withSandbox(experiment, options.say ?? (() => {}), (live) => {
      // Bound to a sandbox, the links have addresses now; the plan is compiled again with them.
      const livePlan = live === experiment ? plan : planExperiment(live, registry, plan.runId)
      assertNothingDeclined(livePlan, live.file)
      return runExperiment(live, livePlan, {events: options.events, live: options.live ?? false, registry, signal: controller.signal, ...(options.beforeFault ? {beforeFault: options.beforeFault} : {})})
    })
  } finally {
    detach()
  }
}

function handleSignals(controller: AbortController, runId: string, options: Pick<RunFileOptions, 'restore' | 'say'>): () => void {
  let count = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    count += 1
    if (count === 1) {
      const notice = `${signal}: stopping the method and reverting every fault (press Ctrl-C again to leave at once)`
      // Through the progress channel when there is one: timestamped in plain lines, above the live panel.
      if (options.say) options.say(notice)
      else process.stderr.write(`\n${notice}\n`)
      controller.abort()
      return
    }
    options.restore?.()
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
