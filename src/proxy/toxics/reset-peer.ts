/**
 * `reset_peer`: waits for the first chunk on its direction (or the end of the input), then `timeout` ms,
 * then closes. That chunk and everything after it is dropped, and the wait cannot be interrupted (a
 * DELETE during it completes when it ends). The close is an RST only for connections opened while a
 * reset_peer toxic was in their chain: the connection then closes both its sockets with SO_LINGER 0
 * (src/proxy/core/connection.ts). Added to an open connection, it closes with a plain FIN, as Toxiproxy does.
 */
import {attr, INTERRUPT, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'

export class ResetPeerToxic implements Toxic {
  readonly bufferSize = 0

  constructor(readonly timeoutMs: number) {}

  async pipe(stub: Stub): Promise<void> {
    const first = await stub.read()
    if (first === INTERRUPT) return
    await stub.sleepUninterruptible(this.timeoutMs)
    stub.close()
  }
}

export const resetPeer: ToxicDefinition = {
  info: {attributes: {timeout: 'int64'}, goName: 'ResetToxic'},
  create: (a) => new ResetPeerToxic(attr(a, 'timeout')),
}
