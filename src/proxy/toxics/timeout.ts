/**
 * `timeout`: drops every byte from the moment it runs. With `timeout` > 0 it closes its direction (FIN to
 * that direction's destination, then the whole connection tears down) `timeout` ms after the stub started,
 * i.e. after the link started or the toxic was added, whether or not data flowed. With 0 it never closes
 * and data is black-holed. Removing it closes the connection (Go's Cleanup): bytes were dropped, so the
 * stream is corrupt and must not continue. (Go's loop re-creates its `time.After` for every dropped chunk,
 * so under steady traffic its close would slip; this follows the specification, which counts from start.)
 */
import {attr, DEADLINE, END, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

export class TimeoutToxic implements Toxic {
  readonly bufferSize = 0

  constructor(readonly timeoutMs: number) {}

  async pipe(stub: Stub): Promise<void> {
    const deadline = this.timeoutMs > 0 ? performance.now() + this.timeoutMs : Infinity
    for (;;) {
      const chunk = await stub.read(deadline)
      if (chunk === INTERRUPT) return
      if (chunk === END || chunk === DEADLINE) return stub.close()
      // Any other chunk is dropped on the ground.
    }
  }

  cleanup(stub: Stub): void {
    stub.close()
  }
}

export const timeout: ToxicDefinition = {
  info: {attributes: {timeout: 'int64'}, goName: 'TimeoutToxic'},
  create: (a) => new TimeoutToxic(attr(a, 'timeout')),
}
