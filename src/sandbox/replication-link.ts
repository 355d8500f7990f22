/**
 * The sending end of one replication stream (`repl-<from>-<to>`): it keeps a TCP connection to the proxy's
 * listen address, numbers records, keeps every record until the receiver acks it, and resends the unacked
 * ones in order after any reconnect. A link is kept connected even while it has nothing to send (a
 * replica's links are "warm"), so heartbeats measure reachability and carry epochs between regions.
 *
 * Any sign that the stream is damaged (a frame that fails its checksum) or stuck (nothing heard for
 * `livenessMs`, as under a blackholing `timeout` toxic) closes the connection; it is re-dialled with
 * exponential backoff, and the hello tells the receiver where to resume.
 */
import {connect, type Socket} from 'node:net'

import {encodeFrame, FrameDecoder} from './framing.js'
import {asReceiverFrame, type ReceiverFrame, type SenderFrame} from './protocol.js'
import type {KvRecord} from './record.js'

/** What a link needs from its node: the current epoch, and a way to report a higher one it heard. */
export interface LinkOwner {
  epoch(): number
  observeEpoch(epoch: number): void
}

export interface LinkTiming {
  backoffMaxMs: number
  backoffMinMs: number
  /** How often a connected link pings (and checks liveness). */
  heartbeatMs: number
  /** With nothing heard for this long (handshake included), the connection is presumed dead and redialled. */
  livenessMs: number
}

export const DEFAULT_LINK_TIMING: LinkTiming = {backoffMaxMs: 500, backoffMinMs: 20, heartbeatMs: 100, livenessMs: 1000}

export interface LinkStats {
  /** Records dropped unsent because this region stopped being the primary. */
  abandoned: number
  acked: number
  connected: boolean
  corruptFramesRejected: number
  reconnects: number
  sent: number
  to: string
  unacked: number
}

interface Pending {
  record: KvRecord
  seq: number
  settle: (acked: boolean) => void
}

export class ReplicationLink {
  readonly #host: string
  readonly #owner: LinkOwner
  readonly #port: number
  readonly #timing: LinkTiming
  #backoff: number
  #connected = false
  #heartbeat: NodeJS.Timeout | undefined
  #lastHeard = 0
  #nextSeq = 0
  /** Waiting for any frame from the peer (see probe). */
  readonly #probes = new Set<() => void>()
  #redial: NodeJS.Timeout | undefined
  #socket: Socket | undefined
  #stopped = true
  #unacked: Pending[] = []
  readonly #stats = {abandoned: 0, acked: 0, corruptFramesRejected: 0, reconnects: 0, sent: 0}

  constructor(
    readonly from: string,
    readonly to: string,
    address: {host: string; port: number},
    owner: LinkOwner,
    timing: Partial<LinkTiming> = {},
  ) {
    this.#host = address.host
    this.#port = address.port
    this.#owner = owner
    this.#timing = {...DEFAULT_LINK_TIMING, ...timing}
    this.#backoff = this.#timing.backoffMinMs
  }

  /** The handshake completed and nothing has gone wrong since. */
  get connected(): boolean {
    return this.#connected
  }

  /** Records sent or queued that the receiver has not acknowledged yet. */
  get lag(): number {
    return this.#unacked.length
  }

  stats(): LinkStats {
    return {...this.#stats, connected: this.#connected, to: this.to, unacked: this.#unacked.length}
  }

  start(): void {
    if (!this.#stopped) return
    this.#stopped = false
    this.#heartbeat = setInterval(() => this.#tick(), this.#timing.heartbeatMs)
    this.#dial()
  }

  /** Queues a record; resolves true once the receiver has applied it, false if it is abandoned or stopped. */
  send(record: KvRecord): Promise<boolean> {
    return new Promise((settle) => {
      const pending: Pending = {record, seq: ++this.#nextSeq, settle}
      this.#unacked.push(pending)
      if (this.#connected) this.#write({e: this.#owner.epoch(), record, seq: pending.seq, t: 'rec'})
    })
  }

  /**
   * Pings at once and resolves whether the peer answered within `timeoutMs`. A link can look connected for
   * up to `livenessMs` after its peer went silent (a blackhole), so promotion asks rather than trusts.
   * The ping also carries the current epoch, so peers learn of a promotion without waiting for a heartbeat.
   */
  probe(timeoutMs: number): Promise<boolean> {
    if (!this.#connected) return Promise.resolve(false)
    return new Promise((resolve) => {
      const answered = (): void => {
        clearTimeout(timer)
        resolve(true)
      }
      const timer = setTimeout(() => {
        this.#probes.delete(answered)
        resolve(false)
      }, timeoutMs)
      this.#probes.add(answered)
      this.#write({e: this.#owner.epoch(), t: 'ping'})
    })
  }

  /**
   * Drops every unacked record (this region was demoted: its unreplicated writes are the ones a failover
   * loses). The connection is restarted so the next hello tells the receiver to skip their sequence numbers.
   */
  abandon(): void {
    if (this.#unacked.length === 0) return
    const dropped = this.#unacked
    this.#unacked = []
    this.#stats.abandoned += dropped.length
    for (const pending of dropped) pending.settle(false)
    this.#socket?.destroy()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearInterval(this.#heartbeat)
    clearTimeout(this.#redial)
    this.abandon()
    const socket = this.#socket
    this.#socket = undefined
    this.#connected = false
    if (socket !== undefined && !socket.closed) await new Promise<void>((resolve) => socket.once('close', () => resolve()).destroy())
  }

  #dial(): void {
    if (this.#stopped) return
    const socket = connect({host: this.#host, noDelay: true, port: this.#port})
    const decoder = new FrameDecoder()
    this.#socket = socket
    this.#lastHeard = Date.now()
    socket.on('connect', () => this.#write({e: this.#owner.epoch(), from: this.from, next: this.#unacked[0]?.seq ?? this.#nextSeq + 1, t: 'hello'}))
    socket.on('data', (chunk: Buffer) => {
      for (const decoded of decoder.push(chunk)) {
        if (this.#socket !== socket) return
        const frame = decoded.ok ? asReceiverFrame(decoded.frame) : undefined
        if (frame === undefined) {
          // An ack we cannot read may have been the last one: restart the stream rather than wait.
          this.#stats.corruptFramesRejected += 1
          socket.destroy()
          return
        }
        this.#onFrame(frame, socket)
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      if (this.#socket !== socket) return
      this.#socket = undefined
      this.#connected = false
      if (this.#stopped) return
      this.#stats.reconnects += 1
      this.#redial = setTimeout(() => this.#dial(), this.#backoff)
      this.#backoff = Math.min(this.#backoff * 2, this.#timing.backoffMaxMs)
    })
  }

  #onFrame(frame: ReceiverFrame, socket: Socket): void {
    this.#lastHeard = Date.now()
    if (this.#connected) {
      for (const answered of this.#probes) answered()
      this.#probes.clear()
    }
    this.#owner.observeEpoch(frame.e)
    // Hearing a newer epoch may have demoted this region, which restarts the stream: nothing more to do here.
    if (socket.destroyed) return
    switch (frame.t) {
      case 'welcome':
        this.#ackThrough(frame.applied)
        this.#connected = true
        this.#backoff = this.#timing.backoffMinMs
        for (const pending of this.#unacked) this.#write({e: this.#owner.epoch(), record: pending.record, seq: pending.seq, t: 'rec'})
        return
      case 'ack':
        this.#ackThrough(frame.seq)
        return
      case 'pong':
        return
      case 'fenced':
        // The receiver follows a newer primary; observeEpoch has already demoted this region if needed.
        socket.destroy()
        return
    }
  }

  #ackThrough(seq: number): void {
    while (this.#unacked.length > 0 && this.#unacked[0]!.seq <= seq) {
      this.#unacked.shift()!.settle(true)
      this.#stats.acked += 1
    }
  }

  #tick(): void {
    const socket = this.#socket
    if (socket === undefined) return
    if (Date.now() - this.#lastHeard > this.#timing.livenessMs) socket.destroy()
    else if (this.#connected) this.#write({e: this.#owner.epoch(), t: 'ping'})
  }

  #write(frame: SenderFrame): void {
    if (frame.t === 'rec') this.#stats.sent += 1
    this.#socket?.write(encodeFrame(frame))
  }
}
