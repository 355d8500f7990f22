import {closest, distance} from 'fastest-levenshtein'

/** "Did you mean" for a misspelled name: the closest candidate, when it is close enough to be a typo. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined
  const best = closest(input, [...candidates])
  const limit = Math.max(2, Math.floor(best.length / 3))
  return distance(input.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined
}
