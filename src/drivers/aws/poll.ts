import {setTimeout as delay} from 'node:timers/promises'

export interface PollOptions {
  intervalMs: number
  signal: AbortSignal
  timeoutMs: number
  /** For the timeout's message: `experiment EXP… to be running`. */
  what: string
}

/**
 * Reads until `done` says the value is final, every `intervalMs`, for at most `timeoutMs`. Throws on
 * timeout and rejects with the signal's reason when it aborts; reads never overlap.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    options.signal.throwIfAborted()
    const value = await read()
    if (done(value)) return value
    if (Date.now() + options.intervalMs > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`)
    await delay(options.intervalMs, undefined, {signal: options.signal})
  }
}
