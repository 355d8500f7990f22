/**
 * A stored value and its integrity check. The checksum covers what a reader cares about (key, value and
 * version), so a record damaged anywhere (in flight, in memory) is refused by whoever checks it: a replica
 * never stores it and a node never serves it.
 */
import {createHash} from 'node:crypto'

export interface KvRecord {
  /** sha256, hex, of JSON.stringify([key, value, version]). */
  checksum: string
  key: string
  /** The region that accepted the write. */
  region: string
  value: string
  /** Per key; the writing node's previous version + 1. */
  version: number
  /** ISO 8601, milliseconds; with `region` it orders concurrent writes (last writer wins). */
  writtenAt: string
}

export function recordChecksum(key: string, value: string, version: number): string {
  return createHash('sha256').update(JSON.stringify([key, value, version])).digest('hex')
}

/** True when the record has the right shape and its checksum matches its contents. */
export function isIntactRecord(candidate: unknown): candidate is KvRecord {
  if (typeof candidate !== 'object' || candidate === null) return false
  const record = candidate as Partial<KvRecord>
  return (
    typeof record.key === 'string' &&
    typeof record.value === 'string' &&
    typeof record.region === 'string' &&
    typeof record.writtenAt === 'string' &&
    Number.isFinite(Date.parse(record.writtenAt)) &&
    Number.isSafeInteger(record.version) &&
    typeof record.checksum === 'string' &&
    record.checksum === recordChecksum(record.key, record.value, record.version!)
  )
}

/**
 * Last writer wins on (writtenAt, region); version breaks the remaining tie so that two writes from one
 * region in the same millisecond still resolve to the later one.
 */
export function supersedes(incoming: KvRecord, current: KvRecord): boolean {
  const a = Date.parse(incoming.writtenAt)
  const b = Date.parse(current.writtenAt)
  if (a !== b) return a > b
  if (incoming.region !== current.region) return incoming.region > current.region
  return incoming.version > current.version
}
