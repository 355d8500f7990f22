/** One line on what the load (built-in generator or k6) saw, for the plain and live end-of-run summaries. */
import type {Journal} from '../engine/journal.js'

export function loadLine(journal: Journal): string | null {
  const load = journal.workloads?.load
  if (!load) return null
  const engine = load.engine === 'k6' ? 'k6' : 'built-in generator'
  const failedPct = load.requests === 0 ? '' : ` (${((load.failed / load.requests) * 100).toFixed(1)}%)`
  const dropped = load.dropped ? `, ${load.dropped} dropped at maxInFlight` : ''
  const p99 = journal.measurements['load.p99']
  return `load (${engine}): ${load.requests} requests, ${load.failed} failed${failedPct}${dropped}${p99 ? `, p99 ${p99.value.toFixed(1)} ms` : ''}`
}
