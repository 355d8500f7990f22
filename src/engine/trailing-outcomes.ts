/**
 * The outcomes of a workload's recent requests, for guardrails that watch the error rate while the method runs.
 * Fed incrementally (only samples completed since the last read), so a check costs the size of its window, not
 * of the whole run's timeline. Samples arrive in completion order; each is kept while it was sent inside the
 * window being asked about, and forgotten once it falls out (windows only move forward).
 */
export class TrailingOutcomes {
  #held: {at: number; ok: boolean}[] = []

  add(at: number, ok: boolean): void {
    this.#held.push({at, ok})
  }

  /** Failed and total requests sent at or after `sinceMs`; null when there were none. */
  since(sinceMs: number): {failed: number; samples: number} | null {
    this.#held = this.#held.filter((sample) => sample.at >= sinceMs)
    if (this.#held.length === 0) return null
    return {failed: this.#held.filter((sample) => !sample.ok).length, samples: this.#held.length}
  }
}
