/** `slow_close`: passes data through; when the input ends it waits `delay` ms before closing its direction. */
import {attr, END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

export class SlowCloseToxic implements Toxic {
  readonly bufferSize = 0

  constructor(readonly delayMs: number) {}

  async pipe(stub: Stub): Promise<void> {
    for (;;) {
      const chunk = await stub.read()
      if (chunk === INTERRUPT) return
      if (chunk === END) {
        // Interrupted while waiting: return; END is level-triggered, so a restart waits again.
        if (await stub.sleepUntil(performance.now() + this.delayMs)) stub.close()
        return
      }
      await stub.write(chunk)
    }
  }
}

export const slowClose: ToxicDefinition = {
  info: {attributes: {delay: 'int64'}, goName: 'SlowCloseToxic'},
  create: (a) => new SlowCloseToxic(attr(a, 'delay')),
}
