/**
 * The ledger checker, in the spirit of Jepsen's set-full checker: after recovery, every key the writer tried
 * is read back and classified, and the acknowledged writes that are gone are counted and placed in time.
 *
 * Classes, per key (the verdict is about the key's last acknowledged attempt, or its last attempt when none
 * was acknowledged):
 *
 * - `acked-and-present`: acknowledged, and the read returns the value of that write (or of a write to the
 *   same key that overlapped it or came after it, which is a legal outcome of concurrent writes).
 * - `acked-and-lost`: acknowledged, and the key is not found. These are the lost writes.
 * - `unacked-but-present`: never acknowledged (failed or timed out) yet the read returns its value. Legal (a
 *   timeout or a reset can hide a success), but worth showing: the client was told otherwise.
 * - `unacked-and-absent`: never acknowledged and not found. Expected.
 * - `duplicated`: the adapter reports more than one copy of the key (`copies > 1`, for stores that can count
 *   them, such as SQL), or the read returns the intact value of a write sent to a *different* key, so that
 *   one write is stored twice (replayed, or applied under the wrong key).
 * - `corrupted`: found, but the value is none that this ledger wrote. Every value is unique and carries its
 *   own checksum (payload.ts: `<key>:<seq>:<nonce>:<checksum>`), so `decodePayload` can tell a damaged
 *   value from a well-formed one that was simply never written; both are `corrupted` here.
 * - `stale`: the read returns the value of an earlier write to the same key, one that had finished before
 *   the last acknowledged write of that key began. rift's writer writes each key once, so with it `stale`
 *   never occurs; it exists for adapters and workloads that rewrite keys.
 * - `unreadable`: every read of the key failed (error status, timeout). The key's fate is unknown; it counts
 *   in no other class and makes the result `inconclusive`.
 *
 * The first rule that applies wins: no read → `unreadable`; not found → lost or absent; `copies > 1` →
 * `duplicated`; a value nobody wrote → `corrupted`; another key's value → `duplicated`; an earlier value of
 * the key → `stale`; otherwise present.
 *
 * Data loss and RPO: `lost` is the `acked-and-lost` set. Times are acknowledgement times (an attempt's
 * `endedAtMs`, when the client learnt the write was durable).
 * - `rpo.spanMs` = last lost write's ack time − first lost write's ack time (0 for a single lost write);
 * - `rpo.windowMs` = last lost write's ack time − ack time of the last intact (`acked-and-present`) write
 *   acknowledged before the first lost one: how far back in time the store was set. When no intact write
 *   precedes the loss, it is measured from the first lost write's send time (`startedAtMs`) instead, and
 *   `lastIntactBeforeLoss` is null.
 * Both are 0 when nothing was lost. `intactWithinSpan` counts intact writes acknowledged inside the span: 0
 * means the loss was one contiguous window (as a replication pause produces), more means scattered loss.
 * `samples` is the number of acknowledged writes whose fate is known; `resolutionMs` is the writer's interval,
 * the finest a window between writes can be told.
 */
import {latencyFigures, type LatencyFigures} from '../../measure/windows.js'
import type {LedgerAdapter, LedgerRead} from './adapter.js'
import {settleWithin, type WriteAttempt} from './writer.js'

export const LEDGER_CLASSES = [
  'acked-and-present',
  'acked-and-lost',
  'unacked-but-present',
  'unacked-and-absent',
  'duplicated',
  'corrupted',
  'stale',
  'unreadable',
] as const
export type LedgerClass = (typeof LEDGER_CLASSES)[number]

/** What reading one key gave: the adapter's answer, or the error of the last try. */
export type KeyRead = LedgerRead | {error: string}

export interface KeyVerdict {
  key: string
  class: LedgerClass
  /** The attempt the verdict is about: the key's last acknowledged attempt, or its last attempt. */
  seq: number
  acked: boolean
  /** Ack time (epoch ms) of that attempt, when acknowledged. */
  ackedAtMs?: number
  /** The value that attempt wrote. */
  expected: string
  /** The value read back, when found. */
  observed?: string
  /** For `duplicated` and `stale`: the attempt whose value was read back. */
  observedFrom?: {key: string; seq: number}
  copies?: number
  readError?: string
}

export interface RpoWindow {
  /** Last lost ack − first lost ack, ms; 0 when at most one write was lost. */
  spanMs: number
  /** Last lost ack − last intact ack before the loss (see the module comment), ms; 0 when nothing was lost. */
  windowMs: number
  firstLostAckMs: number | null
  lastLostAckMs: number | null
  lastIntactBeforeLoss: {key: string; ackedAtMs: number} | null
  /** Intact acknowledged writes acknowledged between the first and the last lost one. */
  intactWithinSpan: number
  /** Acknowledged writes whose fate is known (read back, not `unreadable`). */
  samples: number
  resolutionMs: number | null
}

export interface LedgerReport {
  counts: Record<LedgerClass, number>
  attempts: {total: number; acked: number; failed: number; timeout: number}
  /** The lost writes (`acked-and-lost`), keys in ack order. */
  lost: {count: number; keys: string[]}
  /** Acknowledged writes not read back intact: lost, corrupted, stale or duplicated. */
  ackedNotIntact: number
  rpo: RpoWindow
  /** True when some key could not be read: the loss figures are then lower bounds. */
  inconclusive: boolean
  /**
   * Write latency as the client saw it — what the replication mode costs each commit: from sending each
   * acknowledged write to its acknowledgement, ms
   * (HDR percentiles, as for the prober); null when no write was acknowledged. Failed and timed-out writes
   * are left out, as latency SLIs usually do: they are in `attempts`.
   */
  writeLatency: LatencyFigures | null
  /** Every key, in seq order of its verdict attempt. */
  keys: KeyVerdict[]
}

export interface ClassifyOptions {
  /** The writer's interval, reported as the RPO's resolution. */
  resolutionMs?: number
}

function emptyCounts(): Record<LedgerClass, number> {
  return Object.fromEntries(LEDGER_CLASSES.map((name) => [name, 0])) as Record<LedgerClass, number>
}

/** Pure: classifies `attempts` given what reading each key returned (a missing read counts as `unreadable`). */
export function classifyLedger(attempts: readonly WriteAttempt[], reads: ReadonlyMap<string, KeyRead>, options: ClassifyOptions = {}): LedgerReport {
  const byKey = new Map<string, WriteAttempt[]>()
  const byValue = new Map<string, WriteAttempt>()
  for (const attempt of [...attempts].sort((a, b) => a.seq - b.seq)) {
    const list = byKey.get(attempt.key)
    if (list === undefined) byKey.set(attempt.key, [attempt])
    else list.push(attempt)
    byValue.set(attempt.value, attempt)
  }

  const verdicts: KeyVerdict[] = []
  for (const [key, list] of byKey) {
    const lastAcked = list.findLast((attempt) => attempt.outcome === 'acked')
    const subject = lastAcked ?? list.at(-1)!
    const verdict: KeyVerdict = {acked: lastAcked !== undefined, class: 'unreadable', expected: subject.value, key, seq: subject.seq}
    if (lastAcked !== undefined) verdict.ackedAtMs = lastAcked.endedAtMs
    verdict.class = classifyKey(verdict, list, lastAcked, reads.get(key), byValue)
    verdicts.push(verdict)
  }
  verdicts.sort((a, b) => a.seq - b.seq)

  const counts = emptyCounts()
  for (const verdict of verdicts) counts[verdict.class]++
  const lostVerdicts = verdicts.filter((verdict) => verdict.class === 'acked-and-lost').sort((a, b) => a.ackedAtMs! - b.ackedAtMs!)
  return {
    ackedNotIntact: verdicts.filter((verdict) => verdict.acked && verdict.class !== 'acked-and-present' && verdict.class !== 'unreadable').length,
    attempts: {
      acked: attempts.filter((attempt) => attempt.outcome === 'acked').length,
      failed: attempts.filter((attempt) => attempt.outcome === 'failed').length,
      timeout: attempts.filter((attempt) => attempt.outcome === 'timeout').length,
      total: attempts.length,
    },
    counts,
    inconclusive: counts.unreadable > 0,
    keys: verdicts,
    lost: {count: lostVerdicts.length, keys: lostVerdicts.map((verdict) => verdict.key)},
    rpo: rpoWindow(verdicts, lostVerdicts, byKey, options.resolutionMs ?? null),
    writeLatency: latencyFigures(attempts.filter((attempt) => attempt.outcome === 'acked').map((attempt) => attempt.endedAtMs - attempt.startedAtMs)),
  }
}

function classifyKey(verdict: KeyVerdict, list: WriteAttempt[], lastAcked: WriteAttempt | undefined, read: KeyRead | undefined, byValue: ReadonlyMap<string, WriteAttempt>): LedgerClass {
  if (read === undefined) return 'unreadable'
  if ('error' in read) {
    verdict.readError = read.error
    return 'unreadable'
  }
  if (!read.found) return lastAcked === undefined ? 'unacked-and-absent' : 'acked-and-lost'
  verdict.observed = read.value
  if (read.copies !== undefined) verdict.copies = read.copies
  const writer = byValue.get(read.value)
  if (read.copies !== undefined && read.copies > 1) {
    if (writer !== undefined) verdict.observedFrom = {key: writer.key, seq: writer.seq}
    return 'duplicated'
  }
  if (writer === undefined) return 'corrupted'
  if (writer.key !== verdict.key) {
    verdict.observedFrom = {key: writer.key, seq: writer.seq}
    return 'duplicated'
  }
  if (!list.includes(writer)) return 'corrupted'
  if (lastAcked !== undefined && writer !== lastAcked && writer.seq < lastAcked.seq && writer.endedAtMs < lastAcked.startedAtMs) {
    verdict.observedFrom = {key: writer.key, seq: writer.seq}
    return 'stale'
  }
  return lastAcked === undefined ? 'unacked-but-present' : 'acked-and-present'
}

function rpoWindow(verdicts: KeyVerdict[], lost: KeyVerdict[], byKey: ReadonlyMap<string, WriteAttempt[]>, resolutionMs: number | null): RpoWindow {
  const samples = verdicts.filter((verdict) => verdict.acked && verdict.class !== 'unreadable').length
  if (lost.length === 0) return {firstLostAckMs: null, intactWithinSpan: 0, lastIntactBeforeLoss: null, lastLostAckMs: null, resolutionMs, samples, spanMs: 0, windowMs: 0}
  const first = lost[0]!
  const firstLostAckMs = first.ackedAtMs!
  const lastLostAckMs = lost.at(-1)!.ackedAtMs!
  const intact = verdicts.filter((verdict) => verdict.class === 'acked-and-present')
  let before: KeyVerdict | undefined
  for (const verdict of intact) if (verdict.ackedAtMs! < firstLostAckMs && (before === undefined || verdict.ackedAtMs! > before.ackedAtMs!)) before = verdict
  const firstLostSentMs = byKey.get(first.key)!.find((attempt) => attempt.seq === first.seq)!.startedAtMs
  return {
    firstLostAckMs,
    intactWithinSpan: intact.filter((verdict) => verdict.ackedAtMs! >= firstLostAckMs && verdict.ackedAtMs! <= lastLostAckMs).length,
    lastIntactBeforeLoss: before === undefined ? null : {ackedAtMs: before.ackedAtMs!, key: before.key},
    lastLostAckMs,
    resolutionMs,
    samples,
    spanMs: lastLostAckMs - firstLostAckMs,
    windowMs: lastLostAckMs - (before?.ackedAtMs ?? firstLostSentMs),
  }
}

export interface CheckLedgerOptions {
  /** Reads in flight at once (default 16). */
  concurrency?: number
  /** Per read (default 2000). */
  timeoutMs?: number
  /** Further tries of a read that failed, 100 ms apart (default 2). */
  retries?: number
  /** The writer's interval, reported as the RPO's resolution. */
  resolutionMs?: number
  /** Stops reading; unread keys are then `unreadable`. */
  signal?: AbortSignal
}

/** Reads every key the writer tried (bounded concurrency, with retries) and classifies them. */
export async function checkLedger(adapter: LedgerAdapter, attempts: readonly WriteAttempt[], options: CheckLedgerOptions = {}): Promise<LedgerReport> {
  const keys = [...new Set(attempts.map((attempt) => attempt.key))]
  const reads = await readAll(adapter, keys, options)
  return classifyLedger(attempts, reads, options.resolutionMs === undefined ? {} : {resolutionMs: options.resolutionMs})
}

export async function readAll(adapter: LedgerAdapter, keys: readonly string[], options: CheckLedgerOptions = {}): Promise<Map<string, KeyRead>> {
  const concurrency = Math.max(1, options.concurrency ?? 16)
  const timeoutMs = options.timeoutMs ?? 2000
  const retries = options.retries ?? 2
  const reads = new Map<string, KeyRead>()
  let next = 0
  const readOne = async (key: string): Promise<KeyRead> => {
    let error = 'not read'
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (options.signal?.aborted === true) return {error: 'the check was stopped'}
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100))
      const signal = options.signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
      try {
        return await settleWithin(adapter.read(key, signal), signal)
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught)
      }
    }
    return {error}
  }
  const lane = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!
      reads.set(key, await readOne(key))
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, keys.length)}, lane))
  return reads
}
