/**
 * One region's key-value store: an in-memory map of checksummed records. Local writes always supersede what
 * the node has seen (their writtenAt is at least 1 ms later), so last-writer-wins never undoes a write the
 * node itself just acknowledged.
 */
import {recordChecksum, supersedes, type KvRecord} from './record.js'

export class RecordStore {
  readonly #records = new Map<string, KvRecord>()

  constructor(readonly region: string) {}

  get size(): number {
    return this.#records.size
  }

  get(key: string): KvRecord | undefined {
    return this.#records.get(key)
  }

  /** A write accepted here: the next version, stamped with this region and a fresh timestamp. */
  writeLocal(key: string, value: string, now = Date.now()): KvRecord {
    const current = this.#records.get(key)
    const version = (current?.version ?? 0) + 1
    const writtenAt = new Date(Math.max(now, current === undefined ? 0 : Date.parse(current.writtenAt) + 1)).toISOString()
    const record: KvRecord = {checksum: recordChecksum(key, value, version), key, region: this.region, value, version, writtenAt}
    this.#records.set(key, record)
    return record
  }

  /** A record from another region (already verified): stored if it wins last-writer-wins. */
  applyRemote(record: KvRecord): boolean {
    const current = this.#records.get(record.key)
    if (current !== undefined && !supersedes(record, current)) return false
    this.#records.set(record.key, record)
    return true
  }
}
