/**
 * One region of the sandbox: a key-value store, its replication (a receiving server and one sending link per
 * peer) and the pattern's acknowledgement rule. This is where the trade-offs live:
 *
 * - active-passive, async: the primary acks a write once it is stored locally and replicates it in the
 *   background. A failover before the replica applied it loses an acknowledged write.
 * - active-passive, sync: the primary acks only after every replica it could reach when it became primary
 *   has applied the write, so failover loses nothing, and each write pays the cross-region round trip.
 *   A replica that stops answering makes writes fail (503) instead of being acknowledged unsafely.
 * - active-active: every region acks its own writes at once and replicates them to every other region;
 *   concurrent writes reconcile by last writer wins on (writtenAt, region).
 * - sharded: a key is stored and served only by its home region, with no replication at all.
 *
 * Epochs fence a deposed primary: promotion raises the epoch, every replication frame carries it, and a
 * primary that hears a higher one steps down and abandons its unreplicated writes (they are lost, as they
 * would be in a real asynchronous failover). Records from an older epoch are refused, never applied.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {homeRegion} from './home.js'
import {nodeRequestHandler, type NodeApi, type Reply} from './node-api.js'
import {isIntactRecord} from './record.js'
import {ReplicationLink, type LinkOwner, type LinkStats, type LinkTiming} from './replication-link.js'
import {ReplicationServer, type ReplicaSink} from './replication-server.js'
import {RecordStore} from './store.js'
import type {Pattern, ReplicationMode, Role} from './types.js'

/** How long a newly promoted primary waits for each replica to answer before leaving it out of the sync set. */
const PROBE_MS = 200

export interface RegionNodeOptions {
  linkTiming?: Partial<LinkTiming>
  pattern: Pattern
  region: string
  /** Every region of the sandbox, in order (sharded placement hashes over them). */
  regions: readonly string[]
  replication: ReplicationMode | 'none'
  role: Role
  syncTimeoutMs: number
}

export interface NodeEvent {
  at: string
  epoch: number
  type: 'promoted' | 'demoted'
}

/** GET /admin/state. */
export interface NodeState {
  /** Records refused because they (or the frame carrying them) failed a checksum. */
  corruptRecordsRejected: number
  epoch: number
  events: NodeEvent[]
  /** Records refused because they came from a deposed primary (an older epoch). */
  fencedRecordsRejected: number
  /** Records written here that the slowest peer has not acknowledged yet. */
  lag: number
  links: LinkStats[]
  pattern: Pattern
  records: number
  region: string
  replicated: number
  replication: ReplicationMode | 'none'
  role: Role
  /** Replicated records that lost last-writer-wins to what this region already had. */
  superseded: number
  /** The regions a sync write waits for. */
  syncReplicas: string[]
}

export interface NodeAddresses {
  httpPort: number
  replicationPort: number
}

export class RegionNode implements NodeApi, ReplicaSink, LinkOwner {
  readonly region: string
  readonly #applied = new Map<string, number>()
  readonly #counts = {corruptRecordsRejected: 0, fencedRecordsRejected: 0, replicated: 0, superseded: 0}
  #epoch = 1
  readonly #events: NodeEvent[] = []
  readonly #http: Server
  readonly #links = new Map<string, ReplicationLink>()
  readonly #options: RegionNodeOptions
  #promotion: Promise<Reply> | undefined
  readonly #replication: ReplicationServer
  #role: Role
  readonly #store: RecordStore
  #syncSet = new Set<string>()

  constructor(options: RegionNodeOptions) {
    this.#options = options
    this.region = options.region
    this.#role = options.role
    this.#store = new RecordStore(options.region)
    this.#http = createServer(nodeRequestHandler(this))
    // The router keeps connections alive through the client proxy; never be the side that drops them first.
    this.#http.keepAliveTimeout = 65_000
    this.#replication = new ReplicationServer(this)
  }

  async listen(): Promise<NodeAddresses> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject)
      this.#http.listen({host: '127.0.0.1', port: 0}, () => {
        this.#http.off('error', reject)
        resolve()
      })
    })
    const replicationPort = await this.#replication.listen()
    return {httpPort: (this.#http.address() as AddressInfo).port, replicationPort}
  }

  /**
   * Opens a link to each peer (through its `repl-<this>-<peer>` proxy) and waits until every one has
   * completed its handshake. Those are the replicas "reachable at start" that a sync write waits for.
   */
  async startReplication(peers: Array<{host: string; port: number; to: string}>, timeoutMs: number): Promise<void> {
    for (const peer of peers) {
      const link = new ReplicationLink(this.region, peer.to, peer, this, this.#options.linkTiming)
      this.#links.set(peer.to, link)
      link.start()
    }
    const deadline = Date.now() + timeoutMs
    while (![...this.#links.values()].every((link) => link.connected)) {
      if (Date.now() > deadline) {
        const down = [...this.#links.values()].filter((link) => !link.connected).map((link) => link.to)
        throw new Error(`${this.region} could not reach ${down.join(', ')} through the replication proxies within ${timeoutMs} ms`)
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    // Only a region that takes writes waits for replicas; a replica's links just carry heartbeats until promoted.
    if (this.#role === 'primary' || this.#role === 'active') this.#syncSet = new Set(this.#links.keys())
  }

  async close(): Promise<void> {
    await Promise.all([...this.#links.values()].map((link) => link.stop()))
    const closed = this.#http.listening ? new Promise<void>((resolve) => this.#http.close(() => resolve())) : Promise.resolve()
    this.#http.closeAllConnections()
    await Promise.all([closed, this.#replication.close()])
  }

  // --- the API ---

  health(): Reply {
    return {body: {region: this.region, role: this.#role}, status: 200}
  }

  read(key: string): Reply {
    const misdirected = this.#misdirected(key)
    if (misdirected !== undefined) return misdirected
    const record = this.#store.get(key)
    if (record === undefined) return {body: {error: 'not found', key, region: this.region}, status: 404}
    // Belt and braces: nothing that fails its checksum is ever served.
    if (!isIntactRecord(record)) return {body: {error: 'the stored record fails its checksum and is not served', key, region: this.region}, status: 500}
    return {body: record, status: 200}
  }

  async write(key: string, value: string): Promise<Reply> {
    if (this.#options.pattern === 'active-passive' && this.#role !== 'primary') {
      return {body: {error: `${this.region} is a read-only replica; writes go to the primary`, region: this.region}, status: 421}
    }
    const misdirected = this.#misdirected(key)
    if (misdirected !== undefined) return misdirected
    const record = this.#store.writeLocal(key, value)
    const sends = [...this.#links.values()].map((link) => ({done: link.send(record), to: link.to}))
    if (this.#options.replication !== 'sync') return {body: record, status: 200}

    const required = sends.filter((send) => this.#syncSet.has(send.to))
    const waiting = new Set(required.map((send) => send.to))
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#options.syncTimeoutMs)))
    const acked = Promise.all(required.map(({done, to}) => done.then((ok) => (ok ? waiting.delete(to) : false))))
    const outcome = await Promise.race([acked, timedOut])
    clearTimeout(timer)
    if (outcome === 'timeout') {
      const regions = [...waiting]
      return {
        body: {error: `not acknowledged by ${regions.join(', ')} within ${this.#options.syncTimeoutMs} ms (sync replication)`, key, region: this.region, waitingFor: regions},
        status: 503,
      }
    }
    if (outcome.includes(false)) {
      return {body: {error: `${this.region} stopped being the primary before its replicas acknowledged the write`, key, region: this.region}, status: 503}
    }
    return {body: record, status: 200}
  }

  /**
   * Active-passive failover: take the next epoch and start taking writes. The replicas a sync write will
   * wait for are those that answer a ping now (within PROBE_MS): waiting for one that is down would turn
   * every write into a 503, and the router only promotes because a region is down.
   */
  async promote(epochHint: number | undefined): Promise<Reply> {
    if (this.#options.pattern !== 'active-passive') {
      return {body: {error: `promotion applies to active-passive only; this sandbox is ${this.#options.pattern}`, region: this.region}, status: 409}
    }
    if (this.#role === 'primary') return {body: {epoch: this.#epoch, promoted: false, region: this.region, role: this.#role}, status: 200}
    this.#promotion ??= this.#takeOver(epochHint).finally(() => (this.#promotion = undefined))
    return this.#promotion
  }

  async #takeOver(epochHint: number | undefined): Promise<Reply> {
    // The new epoch goes out first, in the probes: a deposed primary that can still hear us steps down
    // before this region accepts its first write.
    const epoch = Math.max(this.#epoch + 1, epochHint ?? 0)
    this.#epoch = epoch
    const links = [...this.#links.values()]
    const answered = await Promise.all(links.map((link) => link.probe(PROBE_MS)))
    if (this.#epoch !== epoch) {
      return {body: {error: `a newer primary (epoch ${this.#epoch}) appeared while ${this.region} was being promoted`, region: this.region}, status: 409}
    }
    this.#role = 'primary'
    this.#syncSet = new Set(links.filter((_, index) => answered[index]).map((link) => link.to))
    this.#events.push({at: new Date().toISOString(), epoch, type: 'promoted'})
    return {body: {epoch, promoted: true, region: this.region, role: this.#role, syncReplicas: [...this.#syncSet]}, status: 200}
  }

  state(): Reply {
    const links = [...this.#links.values()]
    const state: NodeState = {
      ...this.#counts,
      epoch: this.#epoch,
      events: [...this.#events],
      lag: Math.max(0, ...links.map((link) => link.lag)),
      links: links.map((link) => link.stats()),
      pattern: this.#options.pattern,
      records: this.#store.size,
      region: this.region,
      replication: this.#options.replication,
      role: this.#role,
      syncReplicas: [...this.#syncSet],
    }
    return {body: state, status: 200}
  }

  // --- replication: LinkOwner and ReplicaSink ---

  epoch(): number {
    return this.#epoch
  }

  observeEpoch(epoch: number): void {
    if (epoch <= this.#epoch) return
    this.#epoch = epoch
    if (this.#options.pattern !== 'active-passive' || this.#role !== 'primary') return
    // Another region was promoted while this one was cut off: step down, and give up what never replicated.
    this.#role = 'replica'
    this.#events.push({at: new Date().toISOString(), epoch, type: 'demoted'})
    for (const link of this.#links.values()) link.abandon()
  }

  applied(from: string): number {
    return this.#applied.get(from) ?? 0
  }

  apply(from: string, seq: number, record: unknown): boolean {
    if (!isIntactRecord(record)) {
      this.#counts.corruptRecordsRejected += 1
      return false
    }
    this.#applied.set(from, seq)
    this.#counts.replicated += 1
    if (!this.#store.applyRemote(record)) this.#counts.superseded += 1
    return true
  }

  skipTo(from: string, applied: number): void {
    this.#applied.set(from, applied)
  }

  rejectFrame(): void {
    this.#counts.corruptRecordsRejected += 1
  }

  rejectFenced(): void {
    this.#counts.fencedRecordsRejected += 1
  }

  /** Sharded: a key outside this region's shard is refused (421), never stored or served here. */
  #misdirected(key: string): Reply | undefined {
    if (this.#options.pattern !== 'sharded') return undefined
    const home = homeRegion(key, this.#options.regions)
    if (home === this.region) return undefined
    return {body: {error: `key ${JSON.stringify(key)} lives in ${home}, not ${this.region}`, home, key, region: this.region}, status: 421}
  }
}
