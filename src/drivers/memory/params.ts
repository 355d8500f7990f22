/** Turning validated parameters into the numbers effects hold. Pure, like `plan`. */
import type {DurationParse} from '../../util/duration.js'
import type {Decline} from './topology.js'

/** The schema has already checked the duration; a failure here still declines rather than guessing. */
export function durationMs(parsed: DurationParse, field: string): number | Decline {
  return parsed.ok ? parsed.ms : {ok: false, reason: `${field}: ${parsed.reason}`}
}
