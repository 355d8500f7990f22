/**
 * The workloads that run through the method and measure what users feel: the availability prober (failover
 * time, availability, latency per window) and the write ledger (lost acknowledged writes, RPO). Started
 * after the steady state held, stopped after every fault is reverted; the ledger is read back then, after
 * recovery. Whatever goes wrong here becomes a warning and an inconclusive SLO, never a broken rollback.
 */
import {errorMessage} from '../errors.js'
import {failoverMeasurement, measureFailover, type FailoverResult} from '../measure/failover.js'
import {bucketSeries, type Series} from '../measure/series.js'
import {measureWindows, runWindows, windowMeasurements, type WindowFigures} from '../measure/windows.js'
import {measureWriteWindows, type WriteWindow} from '../measure/write-windows.js'
import {checkLedger, createHttpLedgerAdapter, startLedgerWriter, type LedgerAdapter, type LedgerReport, type LedgerWriter} from '../workloads/ledger/index.js'
import {startProber, type Prober} from '../workloads/prober.js'
import {liveWorkloads, type LiveWorkloads} from './live.js'
import {toMs} from './plan.js'
import type {RunContext} from './run-context.js'

export interface WorkloadResults {
  failover: FailoverResult | null
  /** `windows`: the ledger's figures in the prober's windows (empty without a prober). */
  ledger: (Omit<LedgerReport, 'keys'> & {windows: WriteWindow[]}) | null
  /** The prober's timeline in buckets, for charts; null without a prober. */
  series: Series | null
  windows: WindowFigures[]
}

export interface RunningWorkloads {
  /** Read-only views for live reporters (RunEvents.onWorkloads). */
  live: LiveWorkloads
  /** Stops everything, reads the ledger back and fills `run.measurements`. Never throws. */
  finish(): Promise<WorkloadResults>
}

export function startWorkloads(run: RunContext): RunningWorkloads | undefined {
  const spec = run.experiment.doc.workload
  if (!spec) return undefined
  if (spec.k6) run.warn('the k6 workload is not run by this version of rift yet; use ledger and prober')
  const startedMs = run.clock.now()
  let prober: Prober | undefined
  let writer: LedgerWriter | undefined
  let adapter: LedgerAdapter | undefined
  try {
    if (spec.prober) {
      prober = startProber({clock: run.clock, intervalMs: toMs(spec.prober.interval), target: spec.prober.target, timeoutMs: toMs(spec.prober.timeout)})
      run.mark('workload:prober', `probing ${spec.prober.target} every ${spec.prober.interval}`)
    }
    if (spec.ledger) {
      adapter = createHttpLedgerAdapter({read: spec.ledger.read, write: spec.ledger.write})
      writer = startLedgerWriter({adapter, rate: spec.ledger.rate, runId: run.runId})
      run.mark('workload:ledger', `writing at ${spec.ledger.rate} with ${spec.ledger.write}`)
    }
  } catch (error) {
    run.warn(`a workload could not start: ${errorMessage(error)}`)
  }
  return {
    live: liveWorkloads(run.clock, prober, spec.prober?.target, writer),
    async finish() {
      const results: WorkloadResults = {failover: null, ledger: null, series: null, windows: []}
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
      return results
    },
  }
}

function msSinceStart(run: RunContext, iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso) - run.startedAt.getTime()
}

function measureProbes(run: RunContext, samples: Awaited<ReturnType<Prober['stop']>>, intervalMs: number, startMs: number, endMs: number, results: WorkloadResults): void {
  const spans = run.faults.flatMap((fault) => {
    const start = msSinceStart(run, fault.injectedAt)
    return start === null ? [] : [{endMs: msSinceStart(run, fault.revertedAt) ?? endMs, name: fault.id, startMs: start}]
  })
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
