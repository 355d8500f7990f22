/**
 * The replication protocol between two regions, over one TCP connection through a `repl-<from>-<to>` proxy.
 * The sender (the writing region) connects; records flow upstream (sender → receiver) and acks flow back
 * downstream on the same connection.
 *
 *   sender → receiver   hello {from, next}   ping   rec {seq, record}
 *   receiver → sender   welcome {applied}    pong   ack {seq}    fenced
 *
 * Every frame carries `e`, the writer's epoch: active-passive promotion raises it, and a node that sees a
 * higher epoch knows it is no longer the primary. `seq` numbers the records of one link from 1; the
 * receiver applies them strictly in order and acks cumulatively, so a reconnect can resend what is unacked.
 */
import type {KvRecord} from './record.js'

export type SenderFrame =
  | {e: number; from: string; next: number; t: 'hello'}
  | {e: number; t: 'ping'}
  | {e: number; record: KvRecord; seq: number; t: 'rec'}

export type ReceiverFrame =
  | {applied: number; e: number; t: 'welcome'}
  | {e: number; t: 'pong'}
  | {e: number; seq: number; t: 'ack'}
  | {e: number; t: 'fenced'}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

/** A frame that passed its checksum but is not one the receiver understands is treated as corrupt. */
export function asSenderFrame(frame: unknown): SenderFrame | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined
  const f = frame as Record<string, unknown>
  if (!isCount(f.e)) return undefined
  switch (f.t) {
    case 'hello':
      return typeof f.from === 'string' && isCount(f.next) ? (f as SenderFrame) : undefined
    case 'ping':
      return f as SenderFrame
    case 'rec':
      // The record's own checksum is checked when it is applied, so it can be counted as a corrupt record.
      return isCount(f.seq) && typeof f.record === 'object' && f.record !== null ? (f as SenderFrame) : undefined
    default:
      return undefined
  }
}

export function asReceiverFrame(frame: unknown): ReceiverFrame | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined
  const f = frame as Record<string, unknown>
  if (!isCount(f.e)) return undefined
  switch (f.t) {
    case 'welcome':
      return isCount(f.applied) ? (f as ReceiverFrame) : undefined
    case 'ack':
      return isCount(f.seq) ? (f as ReceiverFrame) : undefined
    case 'pong':
    case 'fenced':
      return f as ReceiverFrame
    default:
      return undefined
  }
}
