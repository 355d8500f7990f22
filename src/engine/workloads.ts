/**
 * The workloads that run through the method and measure what users feel: the availability prober (failover
 * time, availability, latency per window) and the write ledger (lost acknowledged writes, RPO). Started
 * after the steady state held, stopped after every fault is reverted; the ledger is read back then, after
 * recovery. Whatever goes wrong here becomes a warning and an inconclusive SLO, never a broken rollback.
 */
import {errorMessage} from '../errors.js'
import type {SloResult} from './journal.js'
import {startLoad, type LoadResult, type RunningLoad} from './load-workload.js'
import {failoverMeasurement, measureFailover, type FailoverResult} from '../measure/failover.js'
import {bucketSeries, type Series} from '../measure/series.js'
import {measureWindows, runWindows, windowMeasurements, type WindowFigures} from '../measure/windows.js'
import {checkLedger, createLedgerAdapter, describeLedger, startLedgerWriter, type LedgerAdapter, type LedgerReport, type LedgerWriter} from '../workloads/ledger/index.js'
import {measureWriteWindows, type WriteWindow} from '../measure/write-windows.js'
import {startProber, type Prober} from '../workloads/prober.js'
import {liveWorkloads, type LiveWorkloads} from './live.js'
import {toMs} from './plan.js'
import {TrailingOutcomes} from './trailing-outcomes.js'
import type {RunContext} from './run-context.js'

export interface WorkloadResults {
  failover: FailoverResult | null
  /** `windows`: the ledger's figures in the prober's windows (empty without a prober). */
  ledger: (Omit<LedgerReport, 'keys'> & {windows: WriteWindow[]}) | null
  /** The load generator's (or k6's) counts and per-window figures; null without `workload.load` or `k6`. */
  load: LoadResult | null
  /** The prober's timeline in buckets, for charts; null without a prober. */
  series: Series | null
  windows: WindowFigures[]
}

export interface RunningWorkloads {
  /** Read-only views for live reporters (RunEvents.onWorkloads). */
  live: LiveWorkloads
  /** Stops everything, reads the ledger back and fills `run.measurements`. Never throws. */
  finish(): Promise<{results: WorkloadResults; slos: SloResult[]}>
  /**
   * Failed and total requests over the last `windowMs`, from the load generator when there is one (more
   * samples), else the prober; null when neither sent anything then. What guardrails.abortIf watches.
   */
  recentErrors(windowMs: number): {failed: number; samples: number} | null
  /** The prober's interval, or null without a prober. */
  readonly probeIntervalMs: number | null
}

export async function startWorkloads(run: RunContext): Promise<RunningWorkloads | undefined> {
  const spec = run.experiment.doc.workload
  if (!spec) return undefined
  const startedMs = run.clock.now()
  let load: RunningLoad | undefined
  let prober: Prober | undefined
  let writer: LedgerWriter | undefined
  let adapter: LedgerAdapter | undefined
  try {
    if (spec.prober) {
      prober = startProber({clock: run.clock, intervalMs: toMs(spec.prober.interval), target: spec.prober.target, timeoutMs: toMs(spec.prober.timeout)})
      run.mark('workload:prober', `probing ${spec.prober.target} every ${spec.prober.interval}`)
    }
    if (spec.ledger) {
      adapter = createLedgerAdapter(spec.ledger)
      writer = startLedgerWriter({adapter, rate: spec.ledger.rate, runId: run.runId})
      run.mark('workload:ledger', `writing at ${spec.ledger.rate} with ${describeLedger(spec.ledger)}`)
    }
    load = await startLoad(run, spec)
  } catch (error) {
    run.warn(`a workload could not start: ${errorMessage(error)}`)
  }
  // What guardrails.abortIf reads from the prober: fed from a cursor, so a check never re-reads the timeline.
  const proberTrail = new TrailingOutcomes()
  let proberCursor = 0
  return {
    live: liveWorkloads(run.clock, prober, spec.prober?.target, writer),
    probeIntervalMs: prober?.intervalMs ?? null,
    recentErrors(windowMs) {
      const fromLoad = load?.recent(windowMs)
      if (fromLoad) return fromLoad
      if (!prober) return null
      const fresh = prober.samplesSince(proberCursor)
      proberCursor = fresh.cursor
      for (const sample of fresh.samples) proberTrail.add(sample.at, sample.ok)
      return proberTrail.since(run.clock.now() - windowMs)
    },
    async finish() {
      const results: WorkloadResults = {failover: null, ledger: null, load: null, series: null, windows: []}
      let slos: SloResult[] = []
      const endMs = run.clock.now()
      try {
        if (prober) measureProbes(run, await prober.stop(), prober.intervalMs, startedMs, endMs, results)
      } catch (error) {
        run.warn(`the prober's figures could not be computed: ${errorMessage(error)}`)
      }
      try {
        if (writer && adapter) await measureLedger(run, writer, adapter, results)
      } catch (error) {
        run.warn(`the write ledger could not be checked: ${errorMessage(error)}`)
      }
      try {
        if (load) slos = await measureLoad(run, load, startedMs, endMs, results)
      } catch (error) {
        run.warn(`the load's figures could not be computed: ${errorMessage(error)}`)
      }
      return {results, slos}
    },
  }
}

/** The run's windows (baseline, each fault, recovery) on the run clock. */
function faultSpans(run: RunContext, endMs: number): {endMs: number; name: string; startMs: number}[] {
  return run.faults.flatMap((fault) => {
    const start = fault.injectedAt === null ? null : msSinceStart(run, fault.injectStartedAt ?? fault.injectedAt)
    return start === null ? [] : [{endMs: msSinceStart(run, fault.revertedAt) ?? endMs, name: fault.id, startMs: start}]
  })
}

/**
 * The load's figures, as `load.*` measurements; also as the unscoped ones (availability, errorRate, p50…)
 * when no prober measured those, so `slos: {p99: "< 300ms"}` judges the load when it is all there is.
 */
async function measureLoad(run: RunContext, load: RunningLoad, startMs: number, endMs: number, results: WorkloadResults): Promise<SloResult[]> {
  const outcome = await load.finish(runWindows({endMs, faults: faultSpans(run, endMs), startMs}))
  if (!outcome) return []
  results.load = outcome.result
  Object.assign(run.measurements, outcome.measurements)
  for (const [key, value] of Object.entries(outcome.measurements)) {
    const bare = key.slice('load.'.length)
    if (!(bare in run.measurements)) run.measurements[bare] = value
  }
  const {engine, failed, requests} = outcome.result
  run.mark('measure:load', `${engine === 'k6' ? 'k6' : 'built-in generator'}: ${requests} requests, ${failed} failed`)
  return outcome.slos
}

function msSinceStart(run: RunContext, iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso) - run.startedAt.getTime()
}

function measureProbes(run: RunContext, samples: Awaited<ReturnType<Prober['stop']>>, intervalMs: number, startMs: number, endMs: number, results: WorkloadResults): void {
  const spans = faultSpans(run, endMs)
  results.windows = measureWindows(samples, runWindows({endMs, faults: spans, startMs}), {intervalMs})
  results.series = bucketSeries(samples, {endMs, intervalMs, startMs})
  const [whole] = measureWindows(samples, [{endMs, kind: 'baseline', name: 'run', startMs}], {intervalMs})
  if (whole) Object.assign(run.measurements, windowMeasurements(whole))
  const first = spans[0]
  if (first) {
    const failover = measureFailover(samples, {faultStartMs: first.startMs, intervalMs, ...(spans[1] ? {untilMs: spans[1].startMs} : {})})
    results.failover = failover
    const measurement = failoverMeasurement(failover)
    if (measurement) run.measurements.failoverTime = measurement
    run.mark('measure:failover', failover.rtoMs === null ? `no recovery measured: ${failover.note ?? ''}` : `client-observed RTO ${Math.round(failover.rtoMs)} ms (±${intervalMs} ms)`)
  }
}

async function measureLedger(run: RunContext, writer: LedgerWriter, adapter: LedgerAdapter, results: WorkloadResults): Promise<void> {
  const attempts = await writer.stop()
  const report = await checkLedger(adapter, attempts, {resolutionMs: writer.intervalMs})
  const {keys: _keys, ...summary} = report
  results.ledger = {...summary, windows: measureWriteWindows(attempts, results.windows, performance.timeOrigin + run.clock.origin)}
  if (report.inconclusive) {
    run.warn('some ledger keys could not be read back; lost-write figures are lower bounds and not judged')
    return
  }
  run.measurements.dataLoss = {resolution: 1, samples: report.rpo.samples, unit: 'count', value: report.lost.count}
  run.measurements.rpo = {resolution: report.rpo.resolutionMs, samples: report.rpo.samples, unit: 'ms', value: report.rpo.windowMs}
  run.mark('measure:ledger', `${report.attempts.acked} acknowledged writes, ${report.lost.count} lost (RPO window ${Math.round(report.rpo.windowMs)} ms)`)
}
