/**
 * `guardrails.abortIf: {errorRate: "> 50%", for: 10s}`: while the method runs, the error rate users see is
 * checked every 250 ms over a trailing window (1 s, or ten probe intervals when that is longer, so each check
 * has enough samples to mean something); when the objective has held at every check for `for`, the method
 * is stopped and everything rolls back. A check with fewer than MIN_SAMPLES requests is no evidence either
 * way and resets nothing.
 */
import {compareObjective, parseSloObjective} from '../measure/objective.js'
import {MIN_SAMPLES} from '../measure/slo.js'
import {toMs} from './plan.js'
import type {RunningWorkloads} from './workloads.js'

export const ABORT_CHECK_MS = 250

export interface AbortWatch {
  stop(): void
}

export function watchAbortIf(
  abortIf: {errorRate: string; for: string},
  workloads: RunningWorkloads,
  trip: (reason: string) => void,
  now: () => number = () => performance.now(),
): AbortWatch {
  const parsed = parseSloObjective('errorRate', abortIf.errorRate)
  if (!parsed.ok) return {stop() {}}
  const holdMs = toMs(abortIf.for)
  const windowMs = Math.max(1000, 10 * (workloads.probeIntervalMs ?? 0))
  let since: number | null = null
  const timer = setInterval(() => {
    const recent = workloads.recentErrors(windowMs)
    if (!recent || recent.samples < MIN_SAMPLES) return
    const rate = (recent.failed / recent.samples) * 100
    if (!compareObjective(parsed.objective, rate)) {
      since = null
      return
    }
    const at = now()
    since ??= at
    if (at - since >= holdMs) {
      clearInterval(timer)
      trip(
        `guardrails.abortIf: the error rate was ${abortIf.errorRate} for ${abortIf.for} (last check ${rate.toFixed(1)}% of ${recent.samples} requests); the method was stopped and everything rolled back`,
      )
    }
  }, ABORT_CHECK_MS)
  return {stop: () => clearInterval(timer)}
}
