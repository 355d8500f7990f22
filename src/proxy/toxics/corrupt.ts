/**
 * `corrupt` (rift's extension; a real Toxiproxy rejects it as an invalid toxic type): flips bits in transit
 * to model replica corruption. Attribute `rate` (float64) is the probability that any one byte has exactly
 * one of its eight bits, chosen uniformly, flipped; 0 (or less) passes data unchanged, 1 (or more) hits
 * every byte. Bytes are never added, dropped or reordered. Positions are drawn with geometric gaps
 * between hits, so the cost follows the number of flips rather than the number of bytes, and over ~1 MB
 * the observed rate is within a few percent of `rate` for rates of 0.001 and up.
 */
import {attr, END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

export class CorruptToxic implements Toxic {
  readonly bufferSize = 0
  readonly #logMiss: number

  constructor(readonly rate: number) {
    this.#logMiss = rate > 0 && rate < 1 ? Math.log1p(-rate) : 0
  }

  /** Bytes to skip before the next hit: Geometric(rate), counting failures. */
  #gap(): number {
    if (this.rate >= 1) return 0
    return Math.floor(Math.log(1 - Math.random()) / this.#logMiss)
  }

  /** Returns `data` with bits flipped; a copy when anything changed, so no caller's buffer is touched. */
  corrupt(data: Buffer): Buffer {
    if (!(this.rate > 0)) return data
    let at = this.#gap()
    if (at >= data.length) return data
    const out = Buffer.from(data)
    while (at < out.length) {
      out[at] = out[at]! ^ (1 << Math.floor(Math.random() * 8))
      at += 1 + this.#gap()
    }
    return out
  }

  async pipe(stub: Stub): Promise<void> {
    for (;;) {
      const chunk = await stub.read()
      if (chunk === INTERRUPT) return
      if (chunk === END) return stub.close()
      await stub.write({data: this.corrupt(chunk.data), t: chunk.t})
    }
  }
}

export const corrupt: ToxicDefinition = {
  info: {attributes: {rate: 'float64'}, goName: 'CorruptToxic'},
  create: (a) => new CorruptToxic(attr(a, 'rate')),
}
