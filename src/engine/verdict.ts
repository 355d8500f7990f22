import {ExitCode} from '../errors.js'

export type Verdict = 'passed' | 'failed' | 'aborted' | 'error' | 'rollback-incomplete' | 'inconclusive' | 'interrupted'

export const VERDICT_EXIT_CODES = {
  aborted: ExitCode.Aborted,
  error: ExitCode.RunError,
  failed: ExitCode.Failed,
  inconclusive: ExitCode.Inconclusive,
  interrupted: ExitCode.Interrupted,
  passed: ExitCode.Passed,
  'rollback-incomplete': ExitCode.RollbackIncomplete,
} as const satisfies Record<Verdict, ExitCode>

/**
 * When several things went wrong, the most serious one names the run. Rollback-incomplete outranks all (a
 * fault may still be live); an interruption or an error outranks findings; a finding (failed) outranks
 * inconclusive, and only a run with nothing else to say has passed.
 */
const PRECEDENCE: Verdict[] = ['rollback-incomplete', 'interrupted', 'error', 'aborted', 'failed', 'inconclusive', 'passed']

export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'passed'
  for (const verdict of verdicts) {
    if (PRECEDENCE.indexOf(verdict) < PRECEDENCE.indexOf(worst)) worst = verdict
  }
  return worst
}
