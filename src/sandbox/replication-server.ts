/**
 * The receiving end of replication: a TCP server on the node's replication port, reached only through the
 * `repl-<from>-<to>` proxies. It applies each sender's records strictly in sequence and acks after applying
 * (remote apply), so an ack means the record is readable here.
 *
 * Damage is never applied: a frame that fails its checksum or does not parse, or a record whose own
 * checksum does not match, is counted and the connection is closed. The sender reconnects and resends
 * from the last ack, so a damaged record is replaced by an intact copy rather than skipped.
 */
import {createServer, type Server, type Socket} from 'node:net'

import {encodeFrame, FrameDecoder} from './framing.js'
import {asSenderFrame, type ReceiverFrame, type SenderFrame} from './protocol.js'

/** What the server needs from its node. */
export interface ReplicaSink {
  /** The last sequence number applied from `from` (0 before any). */
  applied(from: string): number
  /** Applies record `seq` from `from`; false (and counted) when the record fails its checksum. */
  apply(from: string, seq: number, record: unknown): boolean
  epoch(): number
  /** A frame arrived that could not be trusted (bad checksum, does not parse, unknown shape). */
  rejectFrame(): void
  /** A record from an older epoch (a deposed primary) was refused. */
  rejectFenced(): void
  observeEpoch(epoch: number): void
  /** The sender gave up on records before `next` (it was demoted): resume after them. */
  skipTo(from: string, applied: number): void
}

export class ReplicationServer {
  readonly #server: Server
  readonly #sockets = new Set<Socket>()

  constructor(readonly sink: ReplicaSink) {
    this.#server = createServer({noDelay: true}, (socket) => this.#accept(socket))
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen({host: '127.0.0.1', port: 0}, () => {
        this.#server.off('error', reject)
        resolve((this.#server.address() as {port: number}).port)
      })
    })
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()))
    for (const socket of this.#sockets) socket.destroy()
    await closed
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket)
    socket.on('close', () => this.#sockets.delete(socket))
    socket.on('error', () => {})
    const decoder = new FrameDecoder()
    let from: string | undefined
    const reply = (frame: ReceiverFrame): void => void socket.write(encodeFrame(frame))
    socket.on('data', (chunk: Buffer) => {
      for (const decoded of decoder.push(chunk)) {
        // Closed, or closing after a `fenced` reply: the rest of the chunk is not read.
        if (socket.destroyed || socket.writableEnded) return
        const frame = decoded.ok ? asSenderFrame(decoded.frame) : undefined
        if (frame === undefined) {
          this.sink.rejectFrame()
          socket.destroy()
          return
        }
        from = this.#handle(frame, from, reply, socket)
      }
    })
  }

  /** Handles one frame; returns the sender's region once the hello has named it. */
  #handle(frame: SenderFrame, from: string | undefined, reply: (frame: ReceiverFrame) => void, socket: Socket): string | undefined {
    const sink = this.sink
    switch (frame.t) {
      case 'hello':
        sink.observeEpoch(frame.e)
        if (frame.next - 1 > sink.applied(frame.from)) sink.skipTo(frame.from, frame.next - 1)
        reply({applied: sink.applied(frame.from), e: sink.epoch(), t: 'welcome'})
        return frame.from
      case 'ping':
        sink.observeEpoch(frame.e)
        reply({e: sink.epoch(), t: 'pong'})
        return from
      case 'rec': {
        if (from === undefined) {
          socket.destroy()
          return from
        }
        if (frame.e < sink.epoch()) {
          // A deposed primary's write: never applied. The reply's epoch tells the sender to step down.
          sink.rejectFenced()
          reply({e: sink.epoch(), t: 'fenced'})
          socket.end()
          return from
        }
        sink.observeEpoch(frame.e)
        const applied = sink.applied(from)
        if (frame.seq <= applied) reply({e: sink.epoch(), seq: applied, t: 'ack'})
        else if (frame.seq > applied + 1 || !sink.apply(from, frame.seq, frame.record)) socket.destroy()
        else reply({e: sink.epoch(), seq: frame.seq, t: 'ack'})
        return from
      }
    }
  }
}
