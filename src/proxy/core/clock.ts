/**
 * Timers for the data path. `setTimeout` is good to about a millisecond either way (it can fire early when
 * the loop's cached time is stale, and late under load), which is too coarse for the latency toxic. A
 * precise timer sleeps on `setTimeout` until SPIN_MS before its deadline, then polls on `setImmediate`
 * (I/O keeps flowing between polls) until performance.now() reaches the deadline.
 */

/** How long before the deadline the coarse timer hands over to polling. */
const SPIN_MS = 2

export type Cancel = () => void

/** Calls `fn` as soon as performance.now() ≥ `deadline` (synchronously if it already is). */
export function atPrecise(deadline: number, fn: () => void): Cancel {
  let timer: NodeJS.Timeout | undefined
  let immediate: NodeJS.Immediate | undefined
  const tick = (): void => {
    timer = undefined
    immediate = undefined
    const remaining = deadline - performance.now()
    if (remaining <= 0) fn()
    else if (remaining > SPIN_MS + 1) timer = setTimeout(tick, remaining - SPIN_MS)
    else immediate = setImmediate(tick)
  }
  tick()
  return () => {
    if (timer !== undefined) clearTimeout(timer)
    if (immediate !== undefined) clearImmediate(immediate)
    timer = undefined
    immediate = undefined
  }
}

/** Calls `fn` after about `ms` on a plain timer. */
export function after(ms: number, fn: () => void): Cancel {
  const timer = setTimeout(fn, Math.max(0, ms))
  return () => clearTimeout(timer)
}
