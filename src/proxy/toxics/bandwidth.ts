/**
 * `bandwidth`: limits one direction of each connection to `rate` KB/s, KB = 1000 bytes. Each chunk adds
 * len/rate ms of sleep; the timer's error is carried into the next sleep, so the average rate holds even
 * though a single sleep is only good to about a millisecond. A chunk larger than 100 ms worth of data is
 * sent in 100 ms slices. `rate: 0` stalls the stream (Toxiproxy sends empty slices every 100 ms forever)
 * until the toxic is removed, which releases the data; a negative rate does the same here, where it
 * crashes the Go server.
 */
import {attr, END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

const SLICE_MS = 100

export class BandwidthToxic implements Toxic {
  readonly bufferSize = 0

  constructor(readonly rateKBps: number) {}

  async pipe(stub: Stub): Promise<void> {
    const rate = Math.max(0, this.rateKBps) // bytes per ms
    const sliceBytes = rate * SLICE_MS
    let sleepMs = 0
    for (;;) {
      const chunk = await stub.read()
      if (chunk === INTERRUPT) return
      if (chunk === END) return stub.close()
      let data = chunk.data
      sleepMs = rate > 0 ? sleepMs + data.length / rate : 0
      while (data.length > sliceBytes) {
        if (!(await stub.sleep(SLICE_MS))) {
          void stub.write({data, t: chunk.t})
          return
        }
        if (sliceBytes > 0) {
          await stub.write({data: data.subarray(0, sliceBytes), t: chunk.t})
          data = data.subarray(sliceBytes)
        }
        sleepMs -= SLICE_MS
      }
      if (sleepMs > 0) {
        const started = performance.now()
        const slept = await stub.sleep(sleepMs)
        sleepMs -= performance.now() - started
        if (!slept) {
          void stub.write({data, t: chunk.t})
          return
        }
      }
      await stub.write({data, t: chunk.t})
    }
  }
}

export const bandwidth: ToxicDefinition = {
  info: {attributes: {rate: 'int64'}, goName: 'BandwidthToxic'},
  create: (a) => new BandwidthToxic(attr(a, 'rate')),
}
