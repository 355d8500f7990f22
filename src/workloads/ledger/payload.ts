/**
 * The value each ledger write carries: `<key>:<seq>:<nonce>:<checksum>`, where the checksum is the first 16
 * hex digits of sha256(`<key>:<seq>:<nonce>`). A value read back can therefore be checked on its own (is it
 * intact? which write made it?) without trusting the store, and no two writes carry the same value.
 */
import {createHash, randomBytes} from 'node:crypto'

export interface LedgerPayload {
  key: string
  seq: number
  nonce: string
}

function checksum(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16)
}

export function encodePayload(key: string, seq: number, nonce: string = randomBytes(6).toString('hex')): string {
  const body = `${key}:${seq}:${nonce}`
  return `${body}:${checksum(body)}`
}

/** The payload when `value` is an intact ledger value; undefined when it is damaged or not one of ours. */
export function decodePayload(value: string): LedgerPayload | undefined {
  // Keys may contain ':', so split from the right: checksum, nonce, seq, and the rest is the key.
  const parts = value.split(':')
  if (parts.length < 4) return undefined
  const sum = parts.pop()!
  const nonce = parts.pop()!
  const seqText = parts.pop()!
  const key = parts.join(':')
  if (!/^\d+$/.test(seqText) || checksum(`${key}:${seqText}:${nonce}`) !== sum) return undefined
  return {key, nonce, seq: Number(seqText)}
}
