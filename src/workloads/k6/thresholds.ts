/**
 * k6 thresholds as SLO results. k6 has already judged each threshold; rift reports its verdict with the
 * observed value and sample count, and refuses to call a threshold passed when nothing shows that it saw a
 * sample (k6 evaluates an empty trend as zeros, so `p(95)<500` "passes" on no traffic): that is inconclusive.
 * Exit 99 is an SLO failure, never a tool error.
 */
import type {SloResult} from '../../engine/journal.js'
import type {K6OutcomeKind} from './exit-codes.js'
import type {K6StreamResult} from './ndjson.js'
import type {K6Summary, K6SummaryMetric} from './summary.js'

export interface ParsedThreshold {
  aggregation: string
  op: string
  value: number
}

const THRESHOLD = /^\s*(avg|min|max|med|count|rate|value|p\(\s*\d+(?:\.\d+)?\s*\))\s*(===|==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*$/

/** `p(95) < 500` → `{aggregation: 'p(95)', op: '<', value: 500}`; null when k6's grammar would reject it. */
export function parseThreshold(text: string): ParsedThreshold | null {
  const match = THRESHOLD.exec(text)
  if (!match) return null
  return {aggregation: match[1]!.replace(/\s+/g, ''), op: match[2]!, value: Number(match[3])}
}

export interface ThresholdInput {
  /** How the k6 run ended. */
  outcome: {exitCode: number | null; kind: K6OutcomeKind; message: string}
  /** The metrics stream, for sample counts (the summary has none for trends). */
  stream?: K6StreamResult | null
  summary: K6Summary | null
}

export function thresholdSlos({outcome, stream, summary}: ThresholdInput): SloResult[] {
  const results: SloResult[] = []
  const finished = outcome.kind === 'ok' || outcome.kind === 'thresholds-failed'
  if (summary?.hasThresholdResults) {
    for (const [metricName, metric] of Object.entries(summary.metrics)) {
      for (const [expr, failed] of Object.entries(metric.thresholds)) {
        results.push(one(metricName, metric, expr, failed, stream ?? null, finished ? null : outcome.message))
      }
    }
  }
  if (outcome.kind === 'thresholds-failed' && !results.some((result) => result.status === 'fail')) {
    const why =
      summary === null
        ? 'k6 exited 99 (thresholds have failed) but wrote no summary to say which'
        : summary.hasThresholdResults
          ? 'k6 exited 99 (thresholds have failed) but its summary marks none as failed'
          : 'k6 exited 99 (thresholds have failed); the machine-readable summary does not say which'
    results.push({detail: why, name: 'k6 thresholds', objective: 'all k6 thresholds pass', observed: null, resolution: null, samples: 0, status: 'fail'})
  } else if (outcome.kind === 'ok' && (summary === null || !summary.hasThresholdResults)) {
    const declared = Object.values(stream?.metrics ?? {}).some((metric) => metric.thresholds.length > 0)
    if (declared || summary === null) {
      const why =
        summary === null
          ? 'k6 exited 0 but wrote no summary, so which thresholds held cannot be shown'
          : 'k6 exited 0; the machine-readable summary carries no threshold results'
      results.push({detail: why, name: 'k6 thresholds', objective: 'all k6 thresholds pass', observed: null, resolution: null, samples: 0, status: 'inconclusive'})
    }
  }
  return results
}

function one(
  metricName: string,
  metric: K6SummaryMetric,
  expr: string,
  failed: boolean,
  stream: K6StreamResult | null,
  unfinished: string | null,
): SloResult {
  const name = `k6 ${metricName} ${expr}`
  const parsed = parseThreshold(expr)
  const observed = parsed === null ? null : (observedValue(metric, parsed.aggregation) ?? streamValue(metricName, parsed.aggregation, stream))
  const samples = sampleCount(metricName, metric, stream)
  const resolution = metric.type === 'rate' && samples !== null && samples > 0 ? 1 / samples : null
  const seen = observed === null ? 'not in the summary' : String(observed)
  const base = {name, objective: expr, observed, resolution, samples: samples ?? 0}
  if (failed) return {...base, detail: `k6 marked ${metricName} ${expr} as failed (observed ${seen})`, status: 'fail'}
  if (unfinished !== null) return {...base, detail: `k6 did not finish the run (${unfinished}), so a threshold that held proves nothing`, status: 'inconclusive'}
  if (samples === null) {
    return {...base, detail: `k6 passed ${expr}, but without the metrics stream the number of samples it saw is unknown`, status: 'inconclusive'}
  }
  if (samples === 0) return {...base, detail: `k6 passed ${expr} on no samples of ${metricName}`, status: 'inconclusive'}
  return {...base, detail: `k6 passed ${expr} (observed ${seen} over ${samples} samples)`, status: 'pass'}
}

function observedValue(metric: K6SummaryMetric, aggregation: string): number | null {
  const direct = metric.values[aggregation]
  if (direct !== undefined) return direct
  const pct = /^p\((\d+(?:\.\d+)?)\)$/.exec(aggregation)
  if (pct) {
    // summaryTrendStats may spell it `p(95.0)` or `p(95)`.
    for (const [key, value] of Object.entries(metric.values)) {
      const other = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(key)
      if (other && Number(other[1]) === Number(pct[1])) return value
    }
  }
  if (aggregation === 'med') return metric.values['p(50)'] ?? null
  return null
}

/** k6 exports only its summaryTrendStats; the stream gives the whole-run http_req_duration p50/90/95/99 too. */
function streamValue(metricName: string, aggregation: string, stream: K6StreamResult | null): number | null {
  if (stream === null || metricName !== 'http_req_duration') return null
  const pct = /^p\((\d+(?:\.\d+)?)\)$/.exec(aggregation)
  const key = pct ? `p${Number(pct[1])}` : aggregation === 'med' ? 'p50' : null
  if (key !== 'p50' && key !== 'p90' && key !== 'p95' && key !== 'p99') return null
  return stream.overall.duration[key]
}

/**
 * How many samples the metric had: the most any source shows (the stream stops at a hard kill, the summary
 * has no counts for trends); null when no source counts them.
 */
function sampleCount(metricName: string, metric: K6SummaryMetric, stream: K6StreamResult | null): number | null {
  const counts: number[] = []
  if (stream) {
    const base = /^([^{]+)\{/.exec(metricName)?.[1]
    if (base === undefined) counts.push(stream.metrics[metricName]?.points ?? 0)
    else {
      const sub = stream.metrics[base]?.submetrics[metricName]
      if (sub) counts.push(sub.points)
    }
  }
  if (metric.type === 'rate' && metric.values.passes !== undefined && metric.values.fails !== undefined) {
    counts.push(metric.values.passes + metric.values.fails)
  }
  return counts.length === 0 ? null : Math.max(...counts)
}
