/**
 * The k6 workload: runs the user's k6 script when a k6 binary is found (K6_BIN or PATH) and reports, when it
 * is not, that rift runs its built-in load generator instead. The generator itself lives elsewhere.
 */
import {findK6} from './locate.js'
import {runK6, type K6RunOptions, type K6RunResult} from './run.js'

export {classifyExit, K6_EXIT_CODES, type K6ExitCode, type K6Outcome, type K6OutcomeKind} from './exit-codes.js'
export {k6Measurements, K6_LATENCY_RESOLUTION_MS} from './measurements.js'
export {findK6, K6_FALLBACK_NOTE, type K6Location} from './locate.js'
export {
  parseTimestampMs,
  percentile,
  readK6Lines,
  readK6Stream,
  toRunClockMs,
  type K6StreamMetric,
  type K6StreamResult,
  type K6Window,
  type K6WindowFigures,
  type ReadStreamOptions,
} from './ndjson.js'
export {buildK6Args, runK6, type CapturedOutput, type K6RunOptions, type K6RunResult} from './run.js'
export {parseSummaryExport, type K6MetricType, type K6Summary, type K6SummaryMetric, type K6SummaryParse} from './summary.js'
export {parseThreshold, thresholdSlos, type ParsedThreshold, type ThresholdInput} from './thresholds.js'

export type K6WorkloadResult =
  | {message: string; reason: string; status: 'skipped'}
  | {result: K6RunResult; source: 'K6_BIN' | 'PATH'; status: 'ran'}

/**
 * Finds k6 in `options.env` (default process.env) and runs the script. When k6 is absent the result is
 * `skipped` with a message for the user; the caller then runs the built-in generator on the same schedule.
 */
export async function runK6Workload(options: Omit<K6RunOptions, 'bin'>): Promise<K6WorkloadResult> {
  const location = await findK6(options.env ?? process.env)
  if (!location.found) return {message: location.message, reason: location.reason, status: 'skipped'}
  return {result: await runK6({...options, bin: location.bin}), source: location.source, status: 'ran'}
}
