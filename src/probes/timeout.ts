import {parseDuration} from '../util/duration.js'

/** A probe's `timeout` in milliseconds. The experiment schema has validated it, so a bad one is a bug in rift. */
export function timeoutMs(text: string): number {
  const parsed = parseDuration(text)
  if (!parsed.ok) throw new TypeError(`invalid probe timeout: ${parsed.reason}`)
  return parsed.ms
}

export function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 10) / 10
}

/** Why the caller aborted, as an Error (the default reason is an `AbortError` DOMException). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof Error) return reason
  return new DOMException(typeof reason === 'string' ? reason : 'This operation was aborted', 'AbortError')
}
