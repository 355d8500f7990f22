/**
 * `limit_data`: forwards at most `bytes` in total on its direction of the connection, truncating the chunk
 * that crosses the limit, then closes (FIN). The count is per connection and direction and survives
 * updates, so raising the limit lets more through; `bytes: 0` closes when the first chunk arrives.
 */
import {attr, END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

interface LimitDataState {
  transmitted: number
}

export class LimitDataToxic implements Toxic {
  readonly bufferSize = 0

  constructor(readonly bytes: number) {}

  newState(): LimitDataState {
    return {transmitted: 0}
  }

  async pipe(stub: Stub): Promise<void> {
    const state = stub.state as LimitDataState
    let remaining = this.bytes - state.transmitted
    for (;;) {
      const chunk = await stub.read()
      if (chunk === INTERRUPT) return
      if (chunk === END) return stub.close()
      remaining = Math.max(0, remaining)
      const data = remaining < chunk.data.length ? chunk.data.subarray(0, remaining) : chunk.data
      if (data.length > 0) {
        state.transmitted += data.length
        await stub.write({data, t: chunk.t})
      }
      remaining = this.bytes - state.transmitted
      if (remaining <= 0) return stub.close()
    }
  }
}

export const limitData: ToxicDefinition = {
  info: {attributes: {bytes: 'int64'}, goName: 'LimitDataToxic'},
  create: (a) => new LimitDataToxic(attr(a, 'bytes')),
}
