/**
 * One client connection: the accepted socket, the upstream socket dialled for it, and a link in each
 * direction (upstream = client → server, downstream = server → client). Teardown follows Toxiproxy:
 * - a link whose chain delivers END closes its destination fully (not a half-close), after its writes;
 * - a closed socket ends the link that reads from it, which drains its chain and closes the other socket;
 * - a failed dial closes the client (it sees a connect, then EOF);
 * - close() (stop, delete, disable) closes both sockets at once;
 * - if a reset_peer toxic was in either chain when the connection opened, every close is an RST
 *   (Go sets SO_LINGER 0 on both sockets), so the peer sees ECONNRESET.
 */
import {connect, type Socket} from 'node:net'
import {parsePort, splitHostPort} from '../listen-address.js'
import type {Direction} from '../types.js'
import {Link} from './link.js'
import {SOCKET_OPTIONS} from './socket-options.js'
import type {ToxicEntry} from './stage.js'

export interface ConnectionHost {
  readonly upstream: string
  /** The direction's toxics, in order, at this moment. */
  chain(direction: Direction): readonly ToxicEntry[]
  /** Both sockets are closed; called once. */
  connectionClosed(connection: Connection, links: Readonly<Record<Direction, Link>> | undefined): void
}

const ignore = (): void => {}

export class Connection {
  links: Readonly<Record<Direction, Link>> | undefined
  #upstream: Socket | undefined
  #reset = false
  #openSockets = 1
  #closed = false

  constructor(
    private readonly host: ConnectionHost,
    private readonly client: Socket,
  ) {
    client.on('error', ignore)
    client.once('close', () => this.#socketClosed('client'))
    this.#dial()
  }

  /** Closes both sockets now (RST if the connection was opened with reset_peer). */
  close(): void {
    for (const link of Object.values(this.links ?? {})) link.dispose()
    this.#destroy(this.client)
    if (this.#upstream) this.#destroy(this.#upstream)
  }

  #dial(): void {
    let host: string
    let port: number
    try {
      const split = splitHostPort(this.host.upstream)
      host = split.host
      port = parsePort(split.port)
    } catch {
      this.client.destroy() // Go's Dial fails the same way; the client sees a connect, then EOF
      return
    }
    const upstream = connect({...SOCKET_OPTIONS, host: host || 'localhost', port})
    this.#upstream = upstream
    this.#openSockets++
    upstream.on('error', ignore)
    upstream.once('close', () => this.#socketClosed('upstream'))
    upstream.once('connect', () => {
      if (this.client.destroyed) return void upstream.destroy()
      this.#startLinks(upstream)
    })
  }

  #startLinks(upstream: Socket): void {
    const up = this.host.chain('upstream')
    const down = this.host.chain('downstream')
    this.#reset = up.some(isResetPeer) || down.some(isResetPeer)
    const links = {
      upstream: new Link('upstream', this.client, upstream, () => this.#finish(upstream)),
      downstream: new Link('downstream', upstream, this.client, () => this.#finish(this.client)),
    }
    this.links = links
    links.upstream.start(up)
    links.downstream.start(down)
    this.client.resume()
  }

  /** A link delivered END: close its destination once its writes are flushed. */
  #finish(socket: Socket): void {
    if (socket.destroyed) return
    if (this.#reset) socket.resetAndDestroy()
    else socket.destroySoon()
  }

  #destroy(socket: Socket): void {
    if (socket.destroyed) return
    if (this.#reset && !socket.connecting) socket.resetAndDestroy()
    else socket.destroy()
  }

  #socketClosed(which: 'client' | 'upstream'): void {
    const links = this.links
    if (links) {
      const reader = which === 'client' ? links.upstream : links.downstream
      const writer = which === 'client' ? links.downstream : links.upstream
      writer.destinationClosed()
      reader.sourceEnded()
    } else if (which === 'client') {
      this.#upstream?.destroy()
    } else {
      this.client.destroy() // the dial failed
    }
    if (--this.#openSockets > 0 || this.#closed) return
    this.#closed = true
    links?.upstream.dispose()
    links?.downstream.dispose()
    this.host.connectionClosed(this, links)
  }
}

function isResetPeer(entry: ToxicEntry): boolean {
  return entry.config.type === 'reset_peer'
}
