/**
 * Replication frames on a TCP stream: one line per frame, `<checksum> <json>\n`, where the checksum is the
 * first 16 hex digits of sha256 over the JSON bytes.
 *
 * Why this shape: a bit flipped in flight (the proxy's `corrupt` toxic) lands in the checksum, the JSON or
 * a separator. Any of those makes that line fail its check: a flipped newline merges two lines into one
 * bad line, and a byte flipped into a newline splits one line into two bad ones. Either way the damage is
 * confined to the lines it touched, and decoding resyncs at the next newline. The checksum is taken over
 * raw bytes, before any UTF-8 decoding, so nothing is "repaired" on the way.
 */
import {createHash} from 'node:crypto'

const NEWLINE = 0x0a
const SPACE = 0x20
const CHECKSUM_LENGTH = 16
/** A line longer than this is damage (a lost newline between big frames) or abuse; it is rejected. */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024

function checksum(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, CHECKSUM_LENGTH)
}

export function encodeFrame(body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8')
  return Buffer.concat([Buffer.from(`${checksum(json)} `, 'latin1'), json, Buffer.from('\n', 'latin1')])
}

export type Decoded = {frame: unknown; ok: true} | {ok: false; reason: string}

/** Splits a byte stream into frames; each call returns the complete lines seen so far, checked. */
export class FrameDecoder {
  #pending: Buffer[] = []
  #pendingBytes = 0

  push(chunk: Buffer): Decoded[] {
    const out: Decoded[] = []
    let start = 0
    for (let index = chunk.indexOf(NEWLINE); index !== -1; index = chunk.indexOf(NEWLINE, start)) {
      const line = this.#pendingBytes === 0 ? chunk.subarray(start, index) : Buffer.concat([...this.#pending, chunk.subarray(start, index)])
      this.#pending = []
      this.#pendingBytes = 0
      out.push(decodeLine(line))
      start = index + 1
    }
    if (start < chunk.length) {
      this.#pending.push(chunk.subarray(start))
      this.#pendingBytes += chunk.length - start
      if (this.#pendingBytes > MAX_FRAME_BYTES) {
        this.#pending = []
        this.#pendingBytes = 0
        out.push({ok: false, reason: `a frame longer than ${MAX_FRAME_BYTES} bytes`})
      }
    }
    return out
  }
}

function decodeLine(line: Buffer): Decoded {
  if (line.length <= CHECKSUM_LENGTH + 1 || line[CHECKSUM_LENGTH] !== SPACE) return {ok: false, reason: 'a malformed frame'}
  const json = line.subarray(CHECKSUM_LENGTH + 1)
  if (line.toString('latin1', 0, CHECKSUM_LENGTH) !== checksum(json)) return {ok: false, reason: 'a frame that fails its checksum'}
  try {
    return {frame: JSON.parse(json.toString('utf8')) as unknown, ok: true}
  } catch {
    return {ok: false, reason: 'a frame that does not parse'}
  }
}
