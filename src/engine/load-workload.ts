/**
 * The load part of a run's workloads: the user's k6 script when k6 is found, otherwise rift's built-in
 * generator on the schedule in `workload.load`. Both end in the same result shape (`LoadResult`): counts,
 * per-window availability and latency, and the whole run's figures as `load.*` measurements. k6's own
 * thresholds become SLO results (exit 99 means an SLO failed, not that the tool did).
 */
import path from 'node:path'

import type {ExperimentDocument} from '../experiment/schema.js'
import {windowMeasurements, type WindowBounds, type WindowFigures} from '../measure/windows.js'
import {findK6, k6Measurements, runK6, type K6RunResult, type K6Window} from '../workloads/k6/index.js'
import {parseRate} from '../workloads/ledger/index.js'
import {measureLoadWindows, startLoadGenerator, type LoadGenerator} from '../workloads/load/index.js'
import type {Measurement, SloResult} from './journal.js'
import {toMs} from './plan.js'
import type {RunContext} from './run-context.js'
import {TrailingOutcomes} from './trailing-outcomes.js'

type WorkloadSpec = NonNullable<ExperimentDocument['workload']>

export interface LoadResult {
  /** Which generator ran: rift's own, or the user's k6 script. */
  engine: 'builtin' | 'k6'
  requests: number
  ok: number
  failed: number
  /** Requests due that were not sent because `maxInFlight` were outstanding (built-in generator only). */
  dropped: number | null
  achievedRate: number | null
  /** Failure reasons and their counts (built-in generator). */
  errors: Record<string, number>
  windows: WindowFigures[]
  /** How k6 ended and what it was run with; null for the built-in generator. */
  k6: {argv: string[]; exitCode: number | null; kind: string; message: string; files: {metrics: string; summary: string}} | null
}

export interface LoadOutcome {
  measurements: Record<string, Measurement>
  result: LoadResult
  slos: SloResult[]
}

export interface RunningLoad {
  /** Failed and total requests sent in the last `windowMs` (for guardrails; windows only move forward); null when nothing was sent. */
  recent(windowMs: number): {failed: number; samples: number} | null
  /** Stops the load and computes its figures over the given windows. */
  finish(windows: readonly WindowBounds[]): Promise<LoadOutcome | null>
}

/** The `-e` variables a k6 script gets, so it can follow the run's schedule and endpoints. */
export function k6Variables(spec: WorkloadSpec, runId: string): Record<string, string> {
  const vars: Record<string, string> = {RIFT_RUN_ID: runId}
  if (spec.load) {
    vars.RIFT_TARGET = spec.load.target
    vars.RIFT_RATE = String(parseRate(spec.load.rate))
    vars.RIFT_MAX_IN_FLIGHT = String(spec.load.maxInFlight)
    vars.RIFT_METHOD = spec.load.method
  }
  if (spec.prober) vars.RIFT_PROBE_TARGET = spec.prober.target
  return {...vars, ...spec.k6?.env}
}

export async function startLoad(run: RunContext, spec: WorkloadSpec): Promise<RunningLoad | undefined> {
  if (spec.k6) {
    const location = await findK6(process.env)
    if (location.found) return startK6(run, spec, location.bin)
    run.warn(spec.load ? location.message : `k6 not found (${location.reason}), and the experiment has no workload.load schedule for the built-in generator to run instead, so no load runs`)
    run.mark('workload:k6', `k6 not found: ${location.reason}`)
  }
  if (!spec.load) return undefined
  return startBuiltin(run, spec.load)
}

function startBuiltin(run: RunContext, load: NonNullable<WorkloadSpec['load']>): RunningLoad {
  const ratePerSecond = parseRate(load.rate)
  const generator: LoadGenerator = startLoadGenerator({
    clock: run.clock,
    maxInFlight: load.maxInFlight,
    method: load.method,
    ratePerSecond,
    target: load.target,
    timeoutMs: toMs(load.timeout),
    ...(load.body === undefined ? {} : {body: load.body}),
    ...(load.headers === undefined ? {} : {headers: load.headers}),
  })
  run.mark('workload:load', `built-in load generator: ${load.method} ${load.target} at ${load.rate}, at most ${load.maxInFlight} in flight`)
  const resolutionMs = 1000 / ratePerSecond
  const trailing = new TrailingOutcomes()
  let cursor = 0
  return {
    recent(windowMs) {
      cursor = generator.samples.forEachFrom(cursor, (_latency, ok, at) => trailing.add(at, ok))
      return trailing.since(run.clock.now() - windowMs)
    },
    async finish(windows) {
      const run_ = await generator.stop()
      const figures = measureLoadWindows(run_.samples, windows, resolutionMs)
      const [whole] = measureLoadWindows(run_.samples, [{endMs: Infinity, kind: 'baseline', name: 'run', startMs: -Infinity}], resolutionMs)
      return {
        measurements: whole ? prefixed('load', windowMeasurements(whole)) : {},
        result: {
          achievedRate: run_.achievedRate,
          dropped: run_.dropped,
          engine: 'builtin',
          errors: run_.errors,
          failed: run_.failed,
          k6: null,
          ok: run_.ok,
          requests: run_.ok + run_.failed,
          windows: figures,
        },
        slos: [],
      }
    },
  }
}

function startK6(run: RunContext, spec: WorkloadSpec, bin: string): RunningLoad {
  const k6 = spec.k6 as NonNullable<WorkloadSpec['k6']>
  const stop = new AbortController()
  // Filled at the end: runK6 reads the stream after k6 exits, so the fault windows known by then apply.
  const windows: K6Window[] = []
  const running = runK6({
    bin,
    dir: path.join(run.paths.dir, 'k6'),
    runId: run.runId,
    runStartWallMs: run.startedAt.getTime(),
    script: k6.script,
    signal: stop.signal,
    timeoutMs: toMs(run.experiment.doc.guardrails.maxDuration),
    vars: k6Variables(spec, run.runId),
    windows,
  })
  run.mark('workload:k6', `k6 ${k6.script} (${bin})`)
  return {
    recent: () => null,
    async finish(bounds) {
      windows.push(...bounds.map(({endMs, name, startMs}) => ({endMs, name, startMs})))
      stop.abort()
      const result: K6RunResult = await running
      if (result.summaryError) run.warn(`k6 summary: ${result.summaryError}`)
      if (result.streamError) run.warn(`k6 metrics stream: ${result.streamError}`)
      if (result.outcome.kind !== 'ok' && result.outcome.kind !== 'thresholds-failed' && result.outcome.kind !== 'aborted') run.warn(result.outcome.message)
      const overall = result.stream?.overall
      const requests = overall?.failed.samples ?? 0
      const failures = overall?.failed.failures ?? 0
      return {
        measurements: result.stream ? k6Measurements(result.stream, 'load') : {},
        result: {
          achievedRate: null,
          dropped: null,
          engine: 'k6',
          errors: {},
          failed: failures,
          k6: {argv: result.argv, exitCode: result.outcome.exitCode, files: result.files, kind: result.outcome.kind, message: result.outcome.message},
          ok: requests - failures,
          requests,
          windows: bounds.map((bound) => k6Window(bound, result)),
        },
        slos: result.slos,
      }
    },
  }
}

/** k6's window figures in the prober's shape, so a report reads both the same way. */
function k6Window(bound: WindowBounds, result: K6RunResult): WindowFigures {
  const figures = result.windows.find((window) => window.name === bound.name)
  const samples = figures?.failed.samples ?? 0
  const rate = figures?.failed.rate ?? null
  const duration = figures?.duration
  const latency =
    duration && duration.count > 0 && duration.p50 !== null
      ? {count: duration.count, max: duration.max ?? 0, p50: duration.p50, p90: duration.p90 ?? 0, p95: duration.p95 ?? 0, p99: duration.p99 ?? 0, p999: duration.p999 ?? 0}
      : null
  return {...bound, availability: rate === null ? null : 100 - rate * 100, latency, latencyOf: 'all', ok: samples - (figures?.failed.failures ?? 0), resolutionMs: null, samples}
}

function prefixed(prefix: string, measurements: Record<string, Measurement>): Record<string, Measurement> {
  return Object.fromEntries(Object.entries(measurements).map(([key, value]) => [`${prefix}.${key}`, value]))
}
