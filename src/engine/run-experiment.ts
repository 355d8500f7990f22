/**
 * The run: preflight → steady state before → method → steady state after → SLOs → revert everything still
 * held (last in first out, whatever happened before) → journal. Never throws once the run folder exists:
 * every outcome, including a bug in a driver or reporter, ends as a verdict in the journal.
 */
import type {DriverRegistry} from '../drivers/registry.js'
import {errorMessage} from '../errors.js'
import type {Experiment} from '../experiment/experiment.js'
import {probeSloMeasurements} from '../measure/probe-slo.js'
import {evaluateSlos} from '../measure/slo.js'
import {writeRunReports} from '../reports/run-files.js'
import {watchAbortIf} from './abort-guardrail.js'
import type {BeforeFault, RunEvents} from './events.js'
import {JOURNAL_SCHEMA_VERSION, writeJournal, type Journal, type SloResult} from './journal.js'
import {LedgerWriter} from './ledger.js'
import {runMethod} from './method.js'
import type {ExperimentPlan} from './plan.js'
import {runPreflight} from './preflight.js'
import {runProbes} from './probe-runner.js'
import {RollbackStack} from './rollback-stack.js'
import {RunContext} from './run-context.js'
import {createRunDir, stateDir as defaultStateDir} from './run-dir.js'
import {VERDICT_EXIT_CODES} from './verdict.js'
import {startWorkloads, type RunningWorkloads, type WorkloadResults} from './workloads.js'
import {toMs} from './plan.js'

export interface RunOptions {
  /** Asked before each fault step (game days); see BeforeFault. */
  beforeFault?: BeforeFault
  events?: RunEvents
  /** Allow live drivers (real infrastructure); without it a plan that uses one is refused in preflight. */
  live?: boolean
  registry: DriverRegistry
  /** Per-revert time limit; a revert that takes longer counts as failed. */
  revertTimeoutMs?: number
  /** Aborting it interrupts the run: the method stops and everything held is reverted. */
  signal?: AbortSignal
  stateDir?: string
}

export async function runExperiment(experiment: Experiment, plan: ExperimentPlan, options: RunOptions): Promise<Journal> {
  const base = options.stateDir ?? defaultStateDir()
  const paths = await createRunDir(plan.runId, base)
  const ledger = new LedgerWriter(paths.ledger)
  await ledger.append({cwd: process.cwd(), experiment: experiment.file, pid: process.pid, runId: plan.runId, type: 'run-started'})

  // The method's signal: aborted by the caller's signal (interruption) or by the maxDuration guardrail.
  const method = new AbortController()
  const onInterrupt = (): void => method.abort('interrupted')
  options.signal?.addEventListener('abort', onInterrupt, {once: true})
  const control = {stopMethod: (reason: string) => method.abort(reason), ...(options.beforeFault ? {beforeFault: options.beforeFault} : {})}
  const run = new RunContext(experiment, plan, options.registry, paths, ledger, base, method.signal, options.events ?? {}, control)
  run.liveAllowed = options.live ?? false
  // A guardrail (maxDuration, abortIf) stops the method once; the rollback below reverts what it held.
  const trip = (reason: string): void => {
    if (method.signal.aborted) return
    run.fail('RIFT_GUARDRAIL_TRIPPED', 'method', reason)
    method.abort('guardrail')
  }
  const maxDurationMs = toMs(experiment.doc.guardrails.maxDuration)
  const guardrail = setTimeout(() => trip(`guardrails.maxDuration (${experiment.doc.guardrails.maxDuration}) was reached; the method was stopped`), maxDurationMs)
  const stack = new RollbackStack({
    ledger,
    log: run.log,
    onReverted: (record) => run.emit('onFaultReverted', record),
    ...(options.revertTimeoutMs === undefined ? {} : {revertTimeoutMs: options.revertTimeoutMs}),
  })

  let journalWritten = false
  const note = (text: string): void => {
    if (!journalWritten && text.trim() !== '') run.mark('note', text.trim())
  }
  await run.emit('onRunStart', {experimentTitle: experiment.doc.title, maxDurationMs, note, plan, runDir: paths.dir})
  const held: {workloads?: RunningWorkloads | undefined} = {}
  let workloadResults: WorkloadResults | null = null
  let workloadSlos: SloResult[] = []
  try {
    if (options.signal?.aborted) onInterrupt()
    await runPhases(run, stack, held, trip)
  } catch (error) {
    // A bug in rift or a driver that escaped the phases: still a verdict, still a full rollback below.
    run.fail('RIFT_INTERNAL', 'run', error)
  } finally {
    clearTimeout(guardrail)
    options.signal?.removeEventListener('abort', onInterrupt)
    await run.emit('onPhase', 'rollback')
    const complete = await stack.unwindAll()
    if (!complete) {
      const failed = run.faults.filter((fault) => fault.revert === 'failed').map((fault) => `${fault.id} (${fault.kind} on ${fault.target})`)
      run.flag('rollback-incomplete', `could not revert ${failed.join(', ')}; finish with: rift rollback --run ${plan.runId}`)
    }
    // Read back after recovery: everything is reverted by now.
    if (held.workloads) ({results: workloadResults, slos: workloadSlos} = await held.workloads.finish())
    await disconnectAll(run)
  }
  if (method.signal.reason === 'interrupted') run.flag('interrupted', 'interrupted by a signal; everything held was reverted')
  return finish(run, workloadResults, workloadSlos, () => (journalWritten = true))
}

async function runPhases(run: RunContext, stack: RollbackStack, held: {workloads?: RunningWorkloads | undefined}, trip: (reason: string) => void): Promise<void> {
  await run.emit('onPhase', 'preflight')
  if (!(await runPreflight(run))) return

  if (!(await checkSteadyState(run, 'before'))) return

  held.workloads = await startWorkloads(run)
  if (held.workloads) await run.emit('onWorkloads', held.workloads.live)
  const {abortIf} = run.experiment.doc.guardrails
  const watch = abortIf && held.workloads ? watchAbortIf(abortIf, held.workloads, trip) : undefined
  await run.emit('onPhase', 'method')
  try {
    await runMethod(run, stack)
  } finally {
    watch?.stop()
  }
  if (run.signal.aborted || run.errors.length > 0) return
  // Faults still held at the end of the method are reverted before the after-check; if one cannot be,
  // the after-check would judge a system still under fault, so it does not run.
  if (!(await stack.unwindAll())) return

  await checkSteadyState(run, 'after')
}

/**
 * The hypothesis, before or after the method. A probe that could not run is an error; one that ran and
 * was not met aborts the run before the method (nothing injected yet) and fails it after. Returns whether it held.
 */
async function checkSteadyState(run: RunContext, when: 'before' | 'after'): Promise<boolean> {
  const phase = when === 'before' ? 'steady-state-before' : 'steady-state-after'
  await run.emit('onPhase', phase)
  const records = await runProbes(run, run.experiment.doc.steadyState, phase)
  run.steadyState[when] = records
  const broken = records.find((record) => record.error)
  if (broken) {
    run.fail('RIFT_PROBE_FAILED', phase, `probe "${broken.name}" could not run: ${broken.error}`)
    return false
  }
  const unmet = records.find((record) => !record.ok)
  if (!unmet) return true
  if (when === 'before') {
    run.fail('RIFT_STEADY_STATE_NOT_MET', phase, `steady state not met before the method: ${unmet.name}: ${unmet.detail}`, 'aborted')
  } else {
    run.fail('RIFT_HYPOTHESIS_DEVIATED', phase, `the hypothesis deviated after the method: ${unmet.name}: ${unmet.detail}`, 'failed')
  }
  return false
}

async function disconnectAll(run: RunContext): Promise<void> {
  for (const [name, client] of run.clients) {
    try {
      await run.registry.get(name).disconnect?.(client)
    } catch (error) {
      run.warn(`driver "${name}" did not disconnect cleanly: ${errorMessage(error)}`)
    }
  }
}

async function finish(run: RunContext, workloads: WorkloadResults | null, workloadSlos: SloResult[], sealTimeline: () => void): Promise<Journal> {
  await run.emit('onPhase', 'verdict')
  const probeRecords = [...(run.steadyState.before ?? []), ...run.probes, ...(run.steadyState.after ?? [])]
  Object.assign(run.measurements, probeSloMeasurements(run.experiment.doc.slos, probeRecords))
  // The user's SLOs, then k6's thresholds (exit 99 is an SLO that failed, not a broken tool).
  const slos = [...evaluateSlos(run.experiment.doc.slos, run.measurements), ...workloadSlos]
  for (const slo of slos) {
    if (slo.status === 'fail') run.flag('failed', `SLO ${slo.name} ${slo.objective} not met: observed ${slo.observed}`)
    if (slo.status === 'inconclusive') run.flag('inconclusive', `SLO ${slo.name}: ${slo.detail}`)
  }
  const {reason, verdict} = run.verdict()
  const endedAt = new Date()
  const {doc} = run.experiment
  const journal: Journal = {
    durationMs: endedAt.getTime() - run.startedAt.getTime(),
    endedAt: endedAt.toISOString(),
    environment: run.environment(),
    errors: run.errors,
    experiment: {
      ...(doc.description === undefined ? {} : {description: doc.description}),
      file: run.experiment.file,
      tags: doc.tags,
      title: doc.title,
    },
    exitCode: VERDICT_EXIT_CODES[verdict],
    faults: run.faults,
    measurements: run.measurements,
    paths: run.paths,
    plan: run.plan.steps,
    probes: run.probes,
    reason,
    runId: run.runId,
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    slos,
    startedAt: run.startedAt.toISOString(),
    steadyState: run.steadyState,
    timeline: run.timeline,
    verdict,
    warnings: run.warnings,
    workloads,
  }
  sealTimeline()
  try {
    await run.ledger.append({type: 'run-ended', verdict})
    await run.ledger.close()
    await writeJournal(run.paths.journal, journal)
    // junit.xml, summary.md and report.html beside the journal; a report that cannot be written is a warning.
    const problems = await writeRunReports(journal)
    if (problems.length > 0) {
      for (const problem of problems) run.warn(problem)
      await writeJournal(run.paths.journal, journal)
    }
  } catch (error) {
    journal.warnings.push(`could not write the run folder ${run.paths.dir}: ${errorMessage(error)}`)
  }
  await run.emit('onRunEnd', journal)
  return journal
}
