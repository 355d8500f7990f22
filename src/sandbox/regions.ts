/**
 * Region names, in the order the patterns use them: the first is the active-passive primary, the router's
 * first choice in active-active, and the first shard. Cloud-like names make experiment files read as they
 * would against a real deployment.
 */
import {RiftError} from '../errors.js'

export const REGION_NAMES = [
  'us-east',
  'eu-west',
  'ap-south',
  'sa-east',
  'us-west',
  'eu-central',
  'ap-northeast',
  'af-south',
  'me-central',
  'ca-central',
] as const

export const MAX_REGIONS = REGION_NAMES.length

export function regionNames(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_REGIONS) {
    throw new RiftError('RIFT_USAGE', `The sandbox runs 1 to ${MAX_REGIONS} regions, not ${count}`, {
      suggestions: ['rift sandbox up --pattern active-passive --regions 2'],
    })
  }
  return REGION_NAMES.slice(0, count)
}
