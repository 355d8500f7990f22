/**
 * Sharded placement: each key lives in exactly one home region. The hash is stable (sha256 of the key), so
 * the router, the nodes and a test all agree on a key's home without asking anyone.
 */
import {createHash} from 'node:crypto'

export function homeRegion(key: string, regions: readonly string[]): string {
  if (regions.length === 0) throw new Error('homeRegion needs at least one region')
  const bucket = createHash('sha256').update(key).digest().readUInt32BE(0) % regions.length
  return regions[bucket]!
}
