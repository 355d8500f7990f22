/** The end of a link's chain: writes chunks to the destination socket; its end closes the socket. */
import type {Socket} from 'node:net'
import type {Chunk} from '../toxics/toxic.js'
import type {Sink} from './sink.js'

export class SocketWriter implements Sink {
  onSpace: (() => void) | undefined
  /** Bytes handed to the socket. */
  bytes = 0
  /** Ended by the chain, or the socket closed under it: later chunks are discarded. */
  done = false

  constructor(
    readonly socket: Socket,
    private readonly onEnd: () => void,
  ) {}

  push(chunk: Chunk): boolean {
    if (this.done) return true
    this.bytes += chunk.data.length
    return this.socket.write(chunk.data)
  }

  end(): void {
    if (this.done) return
    this.done = true
    this.onEnd()
  }

  /** The socket went away (peer reset, stop()): nothing more can be written. */
  socketClosed(): void {
    this.done = true
    this.onSpace?.()
  }

  hasSpace(): boolean {
    return this.done || !this.socket.writableNeedDrain
  }
}
