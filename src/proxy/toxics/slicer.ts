/**
 * `slicer`: cuts each chunk into pieces of about `average_size` ± `size_variation` bytes by splitting it
 * recursively near its midpoint, and sleeps `delay` microseconds after every piece (the last one too).
 * Go crashes or recurses forever on `average_size` 0 or `size_variation` 0; here a piece never gets
 * smaller than one byte and a zero variation just means no random offset.
 */
import {attr, END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

export class SlicerToxic implements Toxic {
  readonly bufferSize = 0

  constructor(
    readonly averageSize: number,
    readonly sizeVariation: number,
    readonly delayUs: number,
  ) {}

  /** Piece boundaries [start0, end0, start1, end1, …] for a chunk of `length` bytes, in order. */
  boundaries(length: number): number[] {
    const out: number[] = []
    const variation = Math.max(0, this.sizeVariation)
    const pending: Array<[number, number]> = [[0, length]]
    while (pending.length > 0) {
      const [start, end] = pending.pop()!
      if (end - start - this.averageSize <= variation || end - start <= 1) {
        out.push(start, end)
        continue
      }
      const offset = variation > 0 ? Math.floor(Math.random() * 2 * variation) - variation : 0
      const mid = Math.min(end - 1, Math.max(start + 1, start + Math.floor((end - start) / 2) + offset))
      pending.push([mid, end], [start, mid]) // left half is popped first
    }
    return out
  }

  async pipe(stub: Stub): Promise<void> {
    for (;;) {
      const chunk = await stub.read()
      if (chunk === INTERRUPT) return
      if (chunk === END) return stub.close()
      const cuts = this.boundaries(chunk.data.length)
      for (let i = 1; i < cuts.length; i += 2) {
        await stub.write({data: chunk.data.subarray(cuts[i - 1], cuts[i]), t: chunk.t})
        if (this.delayUs > 0 && !(await stub.sleepUntil(performance.now() + this.delayUs / 1000))) {
          const rest = chunk.data.subarray(cuts[i])
          if (rest.length > 0) void stub.write({data: rest, t: chunk.t})
          return
        }
      }
    }
  }
}

export const slicer: ToxicDefinition = {
  info: {attributes: {average_size: 'int', size_variation: 'int', delay: 'int'}, goName: 'SlicerToxic'},
  create: (a) => new SlicerToxic(attr(a, 'average_size'), attr(a, 'size_variation'), attr(a, 'delay')),
}
