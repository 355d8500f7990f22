/**
 * `latency`: delays each chunk by `latency` ± `jitter` ms, uniform in [latency − jitter, latency + jitter).
 * The delay counts from when the proxy received the chunk, so pipelined chunks are not delayed cumulatively
 * (five writes 50 ms apart at latency 200 arrive at 200, 250, 300, 350, 400 ms); order is kept. On an
 * interrupt the chunk in flight is passed on at once.
 */
import {attr, END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

export class LatencyToxic implements Toxic {
  /** Go buffers 1024 chunks in front of a latency toxic so that it does not throttle throughput. */
  readonly bufferSize = 1024

  constructor(
    readonly latencyMs: number,
    readonly jitterMs: number,
  ) {}

  delayMs(): number {
    const jitter = this.jitterMs
    return jitter > 0 ? this.latencyMs + Math.floor(Math.random() * 2 * jitter) - jitter : this.latencyMs
  }

  async pipe(stub: Stub): Promise<void> {
    for (;;) {
      const chunk = await stub.read()
      if (chunk === INTERRUPT) return
      if (chunk === END) return stub.close()
      const due = chunk.t + this.delayMs()
      if (!(await stub.sleepUntil(due))) {
        void stub.write(chunk)
        return
      }
      // As Go does (Timestamp.Add(sleep)), so a second latency toxic counts from this one's release.
      chunk.t = due
      await stub.write(chunk)
    }
  }
}

export const latency: ToxicDefinition = {
  info: {attributes: {latency: 'int64', jitter: 'int64'}, goName: 'LatencyToxic'},
  create: (a) => new LatencyToxic(attr(a, 'latency'), attr(a, 'jitter')),
}
