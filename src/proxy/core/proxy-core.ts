/**
 * One proxy's data path (the ProxyCore of ../types.ts): its listener, its open connections and its toxics.
 * Toxic changes reach every live connection at once; start/stop follow Toxiproxy's Proxy.Start/Stop, and
 * `listen` becomes the bound address on the first successful start (so a re-enable rebinds the same port).
 */
import type {Server, Socket} from 'node:net'
import type {Direction, ProxyCore, ProxyInit, ProxyStats, ToxicConfig, ToxicView} from '../types.js'
import {Connection} from './connection.js'
import type {Link} from './link.js'
import {listenTcp} from './listener.js'
import type {ToxicEntry} from './stage.js'
import {ToxicCollection} from './toxic-collection.js'

class Proxy implements ProxyCore {
  readonly name: string
  #listen: string
  #upstream: string
  #server: Server | undefined
  #starting: Promise<void> | undefined
  readonly #connections = new Set<Connection>()
  readonly #toxics = new ToxicCollection()
  readonly #received: Record<Direction, number> = {upstream: 0, downstream: 0}
  readonly #sent: Record<Direction, number> = {upstream: 0, downstream: 0}

  constructor(init: ProxyInit) {
    this.name = init.name
    this.#listen = init.listen
    this.#upstream = init.upstream
  }

  get enabled(): boolean {
    return this.#server !== undefined
  }

  get listen(): string {
    return this.#listen
  }

  get upstream(): string {
    return this.#upstream
  }

  start(): Promise<void> {
    if (this.#server) return Promise.resolve()
    this.#starting ??= listenTcp(this.#listen, (socket) => this.#accept(socket))
      .then(({server, address}) => {
        this.#server = server
        this.#listen = address
      })
      .finally(() => {
        this.#starting = undefined
      })
    return this.#starting
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    const server = this.#server
    if (!server) return
    this.#server = undefined
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const connection of this.#connections) connection.close()
    await closed
  }

  setAddresses(listen: string, upstream: string): void {
    if (this.#server || this.#starting) throw new Error(`proxy ${this.name} must be stopped to change its addresses`)
    this.#listen = listen
    this.#upstream = upstream
  }

  addToxic(config: ToxicConfig): void {
    const entry = this.#toxics.add(config)
    for (const link of this.#links(entry.config.direction)) link.addStage(entry)
  }

  updateToxic(config: ToxicConfig): void {
    const entry = this.#toxics.update(config)
    for (const link of this.#links(entry.config.direction)) void link.updateStage(entry)
  }

  async removeToxic(name: string): Promise<void> {
    const entry = this.#toxics.remove(name)
    await Promise.all(this.#links(entry.config.direction).map((link) => link.removeStage(name)))
  }

  toxics(): ToxicView[] {
    return this.#toxics.views()
  }

  stats(): ProxyStats {
    return {connections: this.#connections.size, receivedBytes: {...this.#received}, sentBytes: {...this.#sent}}
  }

  #links(direction: Direction): Link[] {
    const links: Link[] = []
    for (const connection of this.#connections) if (connection.links) links.push(connection.links[direction])
    return links
  }

  #accept(socket: Socket): void {
    if (!this.#server) return void socket.destroy()
    const host = {
      upstream: this.#upstream,
      chain: (direction: Direction): readonly ToxicEntry[] => this.#toxics.chain(direction),
      connectionClosed: (connection: Connection, links: Readonly<Record<Direction, Link>> | undefined): void => {
        this.#connections.delete(connection)
        for (const link of Object.values(links ?? {})) {
          this.#received[link.direction] += link.received
          this.#sent[link.direction] += link.writer.bytes
        }
      },
    }
    this.#connections.add(new Connection(host, socket))
  }
}

/** A stopped proxy; the caller starts it (Toxiproxy starts enabled proxies on create). */
export function createProxyCore(init: ProxyInit): ProxyCore {
  return new Proxy(init)
}
