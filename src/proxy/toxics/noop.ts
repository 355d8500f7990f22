/** `noop`: passes everything through. It is also what a stub runs when its toxicity roll fails. */
import {END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

export class NoopToxic implements Toxic {
  readonly bufferSize = 0

  async pipe(stub: Stub): Promise<void> {
    for (;;) {
      const chunk = await stub.read()
      if (chunk === INTERRUPT) return
      if (chunk === END) return stub.close()
      await stub.write(chunk)
    }
  }
}

export const noop: ToxicDefinition = {
  info: {attributes: {}, goName: 'NoopToxic'},
  create: () => new NoopToxic(),
}
