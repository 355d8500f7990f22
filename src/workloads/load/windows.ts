/**
 * Per-window figures of a load run, in the same shape as the prober's (src/measure/windows.ts), computed
 * from the column store without making an object per request.
 */
import {latencyFigures, type WindowBounds, type WindowFigures} from '../../measure/windows.js'
import type {SampleStore} from './sample-store.js'

/** `resolutionMs` is the arrival spacing (1000 / rate): a window boundary is known to within it. */
export function measureLoadWindows(store: SampleStore, windows: readonly WindowBounds[], resolutionMs: number): WindowFigures[] {
  return windows.map((window) => {
    let samples = 0
    const okLatencies: number[] = []
    store.forEachIn(window.startMs, window.endMs, (latencyMs, ok) => {
      samples += 1
      if (ok) okLatencies.push(latencyMs)
    })
    return {
      ...window,
      availability: samples === 0 ? null : (okLatencies.length / samples) * 100,
      latency: latencyFigures(okLatencies),
      latencyOf: 'ok' as const,
      ok: okLatencies.length,
      resolutionMs,
      samples,
    }
  })
}
