/**
 * k6's exit codes (errext/exitcodes/codes.go, k6 v2.2; see ../shared/reference/k6.md §4.4) and what each
 * means for a rift run. 99 is a finding, not a failure of the tool: the load ran and a threshold was not met.
 */

/** How a k6 run ended, from rift's point of view. */
export type K6OutcomeKind =
  /** Exit 0: the script ran to the end and every threshold held. */
  | 'ok'
  /** Exit 99: a valid run whose thresholds failed (at the end, or early through `abortOnFail`): an SLO failure. */
  | 'thresholds-failed'
  /** rift stopped it (its AbortSignal or its wall-clock limit): exit 105, or killed after the grace period. */
  | 'aborted'
  /** The script or k6's REST API stopped the run (103, 108) or marked it failed (110). */
  | 'stopped'
  /** The options or thresholds are invalid (104): the user's script or flags need fixing. */
  | 'usage-error'
  /** The script threw (107). */
  | 'script-error'
  /** k6 itself failed: timeouts, cloud errors, a Go panic, an unknown code, death by a signal. */
  | 'tool-error'
  /** No k6 binary to run. */
  | 'not-found'

export interface K6ExitCode {
  kind: K6OutcomeKind
  meaning: string
  name: string
}

export const K6_EXIT_CODES: Readonly<Record<number, K6ExitCode>> = {
  0: {kind: 'ok', meaning: 'success', name: 'Success'},
  97: {kind: 'tool-error', meaning: 'the cloud test run failed', name: 'CloudTestRunFailed'},
  98: {kind: 'tool-error', meaning: 'cloud progress sync failed', name: 'CloudFailedToGetProgress'},
  99: {kind: 'thresholds-failed', meaning: 'thresholds have failed', name: 'ThresholdsHaveFailed'},
  100: {kind: 'tool-error', meaning: 'setup() timed out', name: 'SetupTimeout'},
  101: {kind: 'tool-error', meaning: 'teardown() timed out', name: 'TeardownTimeout'},
  102: {kind: 'tool-error', meaning: 'a generic timeout (for example handleSummary)', name: 'GenericTimeout'},
  103: {kind: 'stopped', meaning: 'stopped from the REST API', name: 'GenericEngine'},
  104: {kind: 'usage-error', meaning: 'invalid configuration (options or threshold expressions)', name: 'InvalidConfig'},
  105: {kind: 'aborted', meaning: 'aborted by a signal (SIGINT/SIGTERM)', name: 'ExternalAbort'},
  106: {kind: 'tool-error', meaning: 'cannot start the REST API', name: 'CannotStartRESTAPI'},
  107: {kind: 'script-error', meaning: 'the script threw an exception', name: 'ScriptException'},
  108: {kind: 'stopped', meaning: 'the script called exec.test.abort()', name: 'ScriptAborted'},
  109: {kind: 'tool-error', meaning: 'k6 crashed (Go panic)', name: 'GoPanic'},
  110: {kind: 'stopped', meaning: 'the script marked the test as failed (exec.test.fail())', name: 'MarkedAsFailed'},
}

export interface K6Outcome {
  /** The exit code, or null when k6 did not exit on its own (killed by a signal, or never started). */
  exitCode: number | null
  kind: K6OutcomeKind
  /** One line for the journal: what happened and what it means. */
  message: string
  signal: string | null
}

/**
 * Classifies how k6 ended. `abortedByRift` is set when rift sent the signal, so that 105 (or a SIGKILL after
 * the grace period) reads as our own abort rather than a stranger's.
 */
export function classifyExit(exitCode: number | null, signal: string | null, abortedByRift = false): K6Outcome {
  if (exitCode === null) {
    const how = `k6 was killed by ${signal ?? 'a signal'}`
    if (abortedByRift) return {exitCode, kind: 'aborted', message: `${how} after rift stopped the run and the grace period ran out`, signal}
    return {exitCode, kind: 'tool-error', message: how, signal}
  }
  const known = K6_EXIT_CODES[exitCode]
  if (!known) return {exitCode, kind: 'tool-error', message: `k6 exited ${exitCode}, which k6 does not document`, signal}
  if (known.kind === 'aborted' && !abortedByRift) {
    return {exitCode, kind: 'aborted', message: `k6 exited ${exitCode} (${known.name}): ${known.meaning}, not sent by rift`, signal}
  }
  return {exitCode, kind: known.kind, message: `k6 exited ${exitCode} (${known.name}): ${known.meaning}`, signal}
}
