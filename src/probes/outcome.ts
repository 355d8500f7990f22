import type {Json} from '../drivers/define.js'

/**
 * What a built-in probe returns. `ok` is the probe's own check (status, open port, exit code) and is never true
 * unless that check was actually made; `value` is what was observed, for the journal.
 *
 * Contract of every probe runner: a failed check, a refused connection or a timeout is an outcome (`ok: false`);
 * an abort through the caller's signal is not — the runner stops what it started and rejects with the signal's
 * reason, so an interrupted run never records a probe result it did not get.
 */
export interface ProbeOutcome {
  detail: string
  durationMs: number
  ok: boolean
  value: Json
}
