/**
 * Client-observed failover time (RTO) from a prober's timeline: how long after the fault started clients saw
 * steady success again.
 *
 * Only samples sent at or after the fault start (and before `untilMs`, when given: the next fault's start, so
 * that one fault's failures are not charged to another) are considered. Within them:
 * - first failure and last failure are the first and last failed samples;
 * - recovery is the first success of the first run of `sustain` consecutive successes after the last failure
 *   (a single lucky success in the middle of a flapping failover is not recovery);
 * - RTO is recovery − fault start.
 *
 * Accuracy: the true recovery instant lies between the last failed sample and the first successful one after
 * it, so the RTO is exact to one probe interval (`resolutionMs`), plus the time a probe takes to reach the
 * server; `uncertaintyMs` is the gap actually observed, wider when a stalled runner skipped probes. No failures at all gives an RTO of 0 with a note (clients saw no outage — or the fault did not land,
 * which the engine judges from the driver's own checks). Never recovered, or not enough samples to tell, gives
 * null with the reason: inconclusive, never a pass.
 */
import type {Measurement} from '../engine/journal.js'
import {byTime, inferIntervalMs, type Sample} from '../workloads/timeline.js'

export interface FailoverOptions {
  /** When the fault was injected, on the timeline's clock (ms since run start). */
  faultStartMs: number
  /** Consecutive successes that count as recovered; default 3. */
  sustain?: number
  /** Ignore samples sent from here on (the next fault's start); default: the end of the timeline. */
  untilMs?: number
  /** The probe interval; inferred from the samples (their median gap) when not given. */
  intervalMs?: number
}

export type FailoverPhaseName = 'fault-start' | 'first-failure' | 'last-failure' | 'recovered'

export interface FailoverPhase {
  atMs: number
  name: FailoverPhaseName
}

export interface FailoverResult {
  faultStartMs: number
  firstFailureMs: number | null
  lastFailureMs: number | null
  /** First success of the first run of `sustain` consecutive successes after the last failure. */
  recoveredMs: number | null
  /** recovered − fault start; 0 when clients saw no failure; null when it could not be measured. */
  rtoMs: number | null
  /** Samples considered: those sent from the fault start (up to `untilMs`). */
  samples: number
  /** Failed samples among them. */
  failures: number
  /** The probe interval: the RTO is accurate to this. Null when it is unknown (fewer than two samples). */
  resolutionMs: number | null
  /**
   * How far apart the last failure and the recovery sample were: the service recovered somewhere in between,
   * so this is the RTO's actual uncertainty. It exceeds `resolutionMs` when probes were skipped (a stalled
   * runner). Null without failures or without recovery.
   */
  uncertaintyMs: number | null
  sustain: number
  phases: FailoverPhase[]
  /** Something the reader should know about a measured value (e.g. no failures were seen). */
  note: string | null
  /** Why no RTO could be measured; null when one was. */
  inconclusive: string | null
}

export const DEFAULT_SUSTAIN = 3

export function measureFailover(timeline: readonly Sample[], options: FailoverOptions): FailoverResult {
  const {faultStartMs, untilMs = Infinity} = options
  const sustain = options.sustain ?? DEFAULT_SUSTAIN
  if (!Number.isInteger(sustain) || sustain < 1) throw new RangeError(`sustain must be a whole number of successes ≥ 1, not ${sustain}`)
  const sorted = byTime(timeline)
  const considered = sorted.filter((s) => s.at >= faultStartMs && s.at < untilMs)
  const resolutionMs = options.intervalMs ?? inferIntervalMs(sorted)
  const failures = considered.filter((s) => !s.ok)
  const base = {
    faultStartMs,
    failures: failures.length,
    resolutionMs,
    samples: considered.length,
    sustain,
    uncertaintyMs: null,
  }
  const faultStart: FailoverPhase = {atMs: faultStartMs, name: 'fault-start'}

  if (considered.length === 0) {
    return {
      ...base,
      firstFailureMs: null,
      inconclusive: 'no probe samples after the fault start',
      lastFailureMs: null,
      note: null,
      phases: [faultStart],
      recoveredMs: null,
      rtoMs: null,
    }
  }

  const firstFailure = failures[0]
  const lastFailure = failures.at(-1)
  if (firstFailure === undefined || lastFailure === undefined) {
    // No failure: only meaningful if the samples covered enough time to have seen one.
    const enough = considered.length >= sustain
    return {
      ...base,
      firstFailureMs: null,
      inconclusive: enough ? null : `only ${considered.length} sample(s) after the fault start; ${sustain} are needed to judge`,
      lastFailureMs: null,
      note: enough ? `no failures in ${considered.length} samples after the fault start: clients saw no outage` : null,
      phases: [faultStart],
      recoveredMs: null,
      rtoMs: enough ? 0 : null,
    }
  }

  const after = considered.filter((s) => s.at > lastFailure.at)
  const failedPhases: FailoverPhase[] = [faultStart, {atMs: firstFailure.at, name: 'first-failure'}, {atMs: lastFailure.at, name: 'last-failure'}]
  const failed = {...base, firstFailureMs: firstFailure.at, lastFailureMs: lastFailure.at}
  const recovered = after.length >= sustain ? after[0] : undefined
  if (recovered === undefined) {
    const why =
      after.length === 0
        ? `never recovered: the last sample (at ${round(lastFailure.at)}ms) failed`
        : `never recovered: only ${after.length} success(es) after the last failure at ${round(lastFailure.at)}ms; ${sustain} in a row are needed`
    return {...failed, inconclusive: why, note: null, phases: failedPhases, recoveredMs: null, rtoMs: null}
  }
  return {
    ...failed,
    inconclusive: null,
    note: null,
    phases: [...failedPhases, {atMs: recovered.at, name: 'recovered'}],
    recoveredMs: recovered.at,
    rtoMs: recovered.at - faultStartMs,
    uncertaintyMs: recovered.at - lastFailure.at,
  }
}

/** The `failoverTime` measurement for the journal and SLO evaluation; null when the RTO was not measured. */
export function failoverMeasurement(result: FailoverResult): Measurement | null {
  if (result.rtoMs === null) return null
  return {resolution: result.resolutionMs, samples: result.samples, unit: 'ms', value: result.rtoMs}
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
