/**
 * Reads k6's `--summary-export` file (../shared/reference/k6.md §4.1). Both data models are accepted:
 * the default one (thresholds as `{expr: failed}`, where `true` means the threshold FAILED) and the opt-in
 * machine-readable one (`"version": "1.0.0"`, which carries no threshold results).
 *
 * Values are normalised to k6's threshold aggregation names, so `rate<0.01` finds `rate` whichever model
 * wrote it: a rate metric's `value` (default model) becomes `rate`, and `p90` (machine-readable) becomes `p(90)`.
 */
export type K6MetricType = 'counter' | 'gauge' | 'rate' | 'trend'

export interface K6SummaryMetric {
  /** Threshold expression → did it fail? Empty when the model carries no threshold results. */
  thresholds: Record<string, boolean>
  type: K6MetricType
  values: Record<string, number>
}

export interface K6Summary {
  checks: {fails: number; name: string; passes: number}[]
  metrics: Record<string, K6SummaryMetric>
  model: 'default' | 'machine-readable'
  /** False for the machine-readable model: the exit code is then the only threshold verdict. */
  hasThresholdResults: boolean
}

export type K6SummaryParse = {ok: false; reason: string} | {ok: true; summary: K6Summary}

export function parseSummaryExport(text: string): K6SummaryParse {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return {ok: false, reason: `not JSON: ${(error as Error).message}`}
  }
  if (!isObject(data)) return {ok: false, reason: 'expected a JSON object'}
  if (typeof data.version === 'string' && isObject(data.results)) return machineReadable(data.results)
  if (!isObject(data.metrics)) return {ok: false, reason: 'no "metrics" object (is this a k6 --summary-export file?)'}
  const metrics: Record<string, K6SummaryMetric> = {}
  for (const [name, raw] of Object.entries(data.metrics)) {
    if (!isObject(raw)) continue
    const values = numbers(raw)
    const type = inferType(values)
    if (type === 'rate' && values.value !== undefined) {
      values.rate = values.value
      delete values.value
    }
    const thresholds: Record<string, boolean> = {}
    if (isObject(raw.thresholds)) {
      for (const [expr, failed] of Object.entries(raw.thresholds)) if (typeof failed === 'boolean') thresholds[expr] = failed
    }
    metrics[name] = {thresholds, type, values}
  }
  const checks: K6Summary['checks'] = []
  collectChecks(data.root_group, checks)
  return {ok: true, summary: {checks, hasThresholdResults: true, metrics, model: 'default'}}
}

function machineReadable(results: Record<string, unknown>): K6SummaryParse {
  if (!Array.isArray(results.metrics)) return {ok: false, reason: 'no "results.metrics" array'}
  const metrics: Record<string, K6SummaryMetric> = {}
  for (const raw of results.metrics as unknown[]) {
    if (!isObject(raw) || typeof raw.name !== 'string' || !isObject(raw.values)) continue
    const values: Record<string, number> = {}
    for (const [key, value] of Object.entries(numbers(raw.values))) values[/^p\d/.test(key) ? `p(${key.slice(1)})` : key] = value
    const type = isMetricType(raw.type) ? raw.type : inferType(values)
    metrics[raw.name] = {thresholds: {}, type, values}
  }
  const checks: K6Summary['checks'] = []
  if (isObject(results.checks) && Array.isArray(results.checks.results)) {
    for (const check of results.checks.results as unknown[]) {
      if (isObject(check) && typeof check.name === 'string') checks.push({fails: num(check.fails), name: check.name, passes: num(check.passes)})
    }
  }
  return {ok: true, summary: {checks, hasThresholdResults: false, metrics, model: 'machine-readable'}}
}

/** The default model drops each metric's type; its value keys tell it apart. */
function inferType(values: Record<string, number>): K6MetricType {
  if ('passes' in values && 'fails' in values) return 'rate'
  if ('count' in values) return 'counter'
  if ('value' in values && !('avg' in values)) return 'gauge'
  return 'trend'
}

function collectChecks(group: unknown, into: K6Summary['checks']): void {
  if (!isObject(group)) return
  const checks = group.checks
  const list = Array.isArray(checks) ? (checks as unknown[]) : isObject(checks) ? Object.values(checks) : []
  for (const check of list) {
    if (isObject(check) && typeof check.name === 'string') into.push({fails: num(check.fails), name: check.name, passes: num(check.passes)})
  }
  const groups = group.groups
  for (const child of Array.isArray(groups) ? (groups as unknown[]) : isObject(groups) ? Object.values(groups) : []) collectChecks(child, into)
}

function numbers(raw: Record<string, unknown>): Record<string, number> {
  const values: Record<string, number> = {}
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'number' && Number.isFinite(value)) values[key] = value
  return values
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}

function isMetricType(value: unknown): value is K6MetricType {
  return value === 'counter' || value === 'gauge' || value === 'rate' || value === 'trend'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
