/**
 * The proxies of one server and everything the API does to them, with Toxiproxy 2.12's semantics and
 * order of checks (spec §1.3–§1.8). Changes run one at a time (Go holds the collection's lock); reads do
 * not wait. The data path (ProxyCore) owns listeners, connections and toxic chains.
 */
import {createProxyCore} from '../core/index.js'
import {isLoopbackListen, resolveListenAddress} from '../listen-address.js'
import {LeaseManager, type LeaseHold} from '../leases.js'
import {TOXIC_TYPES} from '../toxics/index.js'
import type {Direction, ProxyCore, ProxyInit, ToxicConfig, ToxicView} from '../types.js'
import {
  ApiError,
  invalidStream,
  invalidToxicType,
  leaseNotFound,
  missingField,
  proxyExists,
  proxyNotFound,
  toApiError,
  toxicExists,
  toxicNotFound,
} from './errors.js'
import {silentLogger, type ProxyLogger} from './log.js'
import type {ProxyMetrics} from './metrics.js'
import {decodePopulate, decodeProxyCreate, decodeProxyUpdate, decodeToxicAttributes, decodeToxicCreate, decodeToxicUpdate} from './requests.js'

export interface ProxyCollectionOptions {
  /** Let proxies listen on addresses other than loopback (`""`, `:0`, `0.0.0.0:0`, a LAN address). */
  allowNonLoopback?: boolean
  log?: ProxyLogger
  metrics?: ProxyMetrics | undefined
}

/** What POST /populate did: the proxies in request order, and the error that stopped it, if any. */
export interface PopulateResult {
  error?: ApiError
  /** The entry that failed at run time (1-based, with its name); absent for validation errors. */
  failed?: {index: number; name: string}
  /** Undefined when nothing was processed (Go's nil slice, written as `null`). */
  proxies: ProxyCore[] | undefined
}

type Body = Uint8Array

export class ProxyCollection {
  readonly leases: LeaseManager
  readonly #allowNonLoopback: boolean
  readonly #metrics: ProxyMetrics | undefined
  readonly #proxies = new Map<string, ProxyCore>()
  #closed = false
  #tail: Promise<unknown> = Promise.resolve()

  constructor(options: ProxyCollectionOptions = {}) {
    this.#allowNonLoopback = options.allowNonLoopback ?? false
    this.#metrics = options.metrics
    this.leases = new LeaseManager({log: options.log ?? silentLogger, revert: (hold, stillHeld) => this.#revertHold(hold, stillHeld)})
  }

  /** Every proxy, in creation order. */
  proxies(): ProxyCore[] {
    return [...this.#proxies.values()]
  }

  /** The proxy, or 404 `proxy not found`. */
  get(name: string): ProxyCore {
    const proxy = this.#proxies.get(name)
    if (proxy === undefined) throw proxyNotFound()
    return proxy
  }

  toxics(proxyName: string): ToxicView[] {
    return this.get(proxyName).toxics()
  }

  /** `proxy not found` takes precedence over `toxic not found`. */
  toxic(proxyName: string, toxicName: string): ToxicView {
    return findToxic(this.get(proxyName), toxicName)
  }

  /** POST /proxies: decode, name, upstream, 409, then listen (a failure is 500 and adds nothing). */
  createProxy(body: Body): Promise<ProxyCore> {
    return this.#locked(async () => {
      const input = decodeProxyCreate(body)
      if (input.name === '') throw missingField('name')
      if (input.upstream === '') throw missingField('upstream')
      if (this.#proxies.has(input.name)) throw proxyExists()
      const proxy = this.#newCore({enabled: input.enabled, listen: input.listen, name: input.name, upstream: input.upstream})
      if (input.enabled) await this.#start(proxy)
      this.#proxies.set(proxy.name, proxy)
      return proxy
    })
  }

  /**
   * POST/PATCH /proxies/{proxy} (Toxiproxy's Proxy.Update): decoded over the current values; if the
   * resolved listen or the upstream differ, stop, set, and restart when enabled; then apply `enabled`.
   * A failed restart leaves the proxy stopped with the new addresses, as Go does. rift's `lease` holds a
   * disable under a lease.
   */
  updateProxy(name: string, body: Body): Promise<ProxyCore> {
    return this.#locked(async () => {
      const proxy = this.get(name)
      const wasEnabled = proxy.enabled
      const input = decodeProxyUpdate(body, {enabled: proxy.enabled, listen: proxy.listen, upstream: proxy.upstream})
      if (input.lease !== undefined && !this.leases.has(input.lease)) throw leaseNotFound()
      if (await this.#differs(proxy, input.listen, input.upstream)) {
        await proxy.stop()
        this.#metrics?.harvest(proxy)
        proxy.setAddresses(input.listen, input.upstream)
      }
      if (input.enabled !== proxy.enabled) {
        if (input.enabled) await this.#start(proxy)
        else await proxy.stop()
      }
      if (proxy.enabled) this.leases.detachDisabled(proxy)
      else if (input.lease !== undefined && !this.leases.attachDisabled(input.lease, proxy)) {
        // The lease ran out while the proxy was being stopped: what it would have held is reverted at once.
        if (wasEnabled) await this.#start(proxy)
        throw leaseNotFound()
      }
      return proxy
    })
  }

  /** DELETE /proxies/{proxy}: stops the listener and closes every connection. */
  removeProxy(name: string): Promise<void> {
    return this.#locked(async () => {
      const proxy = this.get(name)
      await proxy.stop()
      this.#metrics?.harvest(proxy)
      this.#proxies.delete(name)
      this.leases.detachProxy(proxy)
    })
  }

  /**
   * POST /populate (spec §1.6): validate every entry first; then in order keep a proxy whose resolved listen
   * and upstream are unchanged (untouched, even its enabled state), replace one that differs, create a new
   * one; stop at the first runtime error and keep what was done before it.
   */
  populate(body: Body): Promise<PopulateResult> {
    return this.#locked(async () => {
      let entries
      try {
        entries = decodePopulate(body)
        entries.forEach((entry, i) => {
          if (entry.name === '') throw missingField(`name at proxy ${i + 1}`)
          if (entry.upstream === '') throw missingField(`upstream at proxy ${i + 1}`)
        })
      } catch (error) {
        return {error: toApiError(error), proxies: undefined}
      }
      const done: ProxyCore[] = []
      for (const [i, entry] of entries.entries()) {
        const enabled = entry.enabled ?? true
        try {
          const existing = this.#proxies.get(entry.name)
          if (existing !== undefined) {
            if (!(await this.#differs(existing, entry.listen, entry.upstream))) {
              done.push(existing)
              continue
            }
            await existing.stop()
            this.#metrics?.harvest(existing)
          }
          const proxy = this.#newCore({enabled, listen: entry.listen, name: entry.name, upstream: entry.upstream})
          if (enabled) await this.#start(proxy)
          if (existing !== undefined) this.leases.detachProxy(existing)
          this.#proxies.set(proxy.name, proxy)
          done.push(proxy)
        } catch (error) {
          return {error: toApiError(error), failed: {index: i + 1, name: entry.name}, proxies: done.length === 0 ? undefined : done}
        }
      }
      return {proxies: done.length === 0 ? undefined : done}
    })
  }

  /**
   * POST /reset: for each proxy, start it if stopped, then remove its toxics through the normal removal
   * path (so removing `timeout` closes its connections). A start failure stops the reset with a 500.
   */
  reset(): Promise<void> {
    return this.#locked(async () => {
      for (const proxy of this.#proxies.values()) {
        if (!proxy.enabled) {
          await this.#start(proxy)
          this.leases.detachDisabled(proxy)
        }
        for (const toxic of proxy.toxics()) await this.#removeToxic(proxy, toxic.name)
      }
    })
  }

  /** POST /proxies/{proxy}/toxics (spec §1.7), in Go's order of checks; rift's `lease` holds it under a lease. */
  addToxic(proxyName: string, body: Body): Promise<ToxicView> {
    return this.#locked(async () => {
      const proxy = this.get(proxyName)
      const {input, node} = decodeToxicCreate(body)
      const direction = parseStream(input.stream)
      const name = input.name === '' ? `${input.type}_${input.stream}` : input.name
      const info = TOXIC_TYPES[input.type]
      if (info === undefined) throw invalidToxicType()
      if (proxy.toxics().some((toxic) => toxic.name === name)) throw toxicExists()
      const attributes = decodeToxicAttributes(node, info)
      if (input.lease !== undefined && !this.leases.has(input.lease)) throw leaseNotFound()
      const config: ToxicConfig = {attributes, direction, name, stream: input.stream, toxicity: input.toxicity, type: input.type}
      proxy.addToxic(config)
      if (input.lease !== undefined) this.leases.attachToxic(input.lease, proxy, name)
      return findToxic(proxy, name)
    })
  }

  /**
   * POST/PATCH /proxies/{proxy}/toxics/{toxic}: attributes merge and `toxicity` is kept when absent; `name`,
   * `type` and `stream` are ignored. Not atomic, as in Go: a type error is a 400, but the attributes decoded
   * before it are already applied.
   */
  updateToxic(proxyName: string, toxicName: string, body: Body): Promise<ToxicView> {
    return this.#locked(async () => {
      const proxy = this.get(proxyName)
      const current = findToxic(proxy, toxicName)
      const info = TOXIC_TYPES[current.type]
      if (info === undefined) throw invalidToxicType()
      const update = decodeToxicUpdate(body, info, current)
      const changed = update.error === undefined || Object.entries(update.attributes).some(([key, value]) => current.attributes[key] !== value)
      if (changed) {
        proxy.updateToxic({...current, attributes: update.attributes, direction: streamDirection(current.stream), toxicity: update.toxicity})
      }
      if (update.error !== undefined) throw update.error
      return findToxic(proxy, toxicName)
    })
  }

  /** DELETE /proxies/{proxy}/toxics/{toxic}. */
  removeToxic(proxyName: string, toxicName: string): Promise<void> {
    return this.#locked(async () => {
      const proxy = this.get(proxyName)
      findToxic(proxy, toxicName)
      await this.#removeToxic(proxy, toxicName)
    })
  }

  /**
   * Stops every proxy and forgets every lease (without reverting: the proxies are going away). Stopping
   * closes every connection, which also ends a change stuck on one; a change that was under way is waited
   * for (a few seconds at most) and whatever it started is stopped too.
   */
  async close(): Promise<void> {
    this.#closed = true
    this.leases.close()
    await this.#stopAll()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.#tail, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))])
    clearTimeout(timer)
    await this.#stopAll()
  }

  async #stopAll(): Promise<void> {
    await Promise.allSettled([...this.#proxies.values()].map((proxy) => proxy.stop()))
  }

  async #removeToxic(proxy: ProxyCore, name: string): Promise<void> {
    await proxy.removeToxic(name)
    this.leases.detachToxic(proxy, name)
  }

  /** Runs `fn` after every change queued before it; a failure does not block the queue. Nothing runs once closed. */
  #locked<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(() => {
      if (this.#closed) throw new ApiError(503, 'the proxy server is shutting down')
      return fn()
    })
    this.#tail = result.catch(() => undefined)
    return result
  }

  #newCore(init: ProxyInit): ProxyCore {
    return createProxyCore(init)
  }

  /**
   * Binds the proxy. Unless non-loopback listens are allowed, an address that resolves to something other
   * than loopback is refused with a listen-style error (500), before anything binds.
   */
  async #start(proxy: ProxyCore): Promise<void> {
    if (!proxy.enabled && !this.#allowNonLoopback && !isLoopbackListen(proxy.listen)) {
      throw new Error(
        `listen tcp ${proxy.listen}: refusing a non-loopback listen address (rift proxy binds loopback only; start it with --allow-non-loopback to allow this)`,
      )
    }
    await proxy.start()
  }

  /** Toxiproxy's Proxy.Differs: the new listen resolved (500 when it cannot be) against the current, and the upstream. */
  async #differs(proxy: ProxyCore, listen: string, upstream: string): Promise<boolean> {
    const resolved = await resolveListenAddress(listen)
    return proxy.listen !== resolved || proxy.upstream !== upstream
  }

  /** A lease ran out or was released: undo one hold if it is still held and the proxy is still this one. */
  async #revertHold(hold: LeaseHold, stillHeld: () => boolean): Promise<string | undefined> {
    if (this.#closed) return undefined
    return this.#locked(async () => {
      const {proxy} = hold
      if (!stillHeld() || this.#proxies.get(proxy.name) !== proxy) return undefined
      if (hold.kind === 'toxic') {
        if (!proxy.toxics().some((toxic) => toxic.name === hold.toxic)) return undefined
        await this.#removeToxic(proxy, hold.toxic)
        return `removed toxic ${hold.toxic} from proxy ${proxy.name}`
      }
      if (proxy.enabled) return undefined
      await this.#start(proxy)
      this.leases.detachDisabled(proxy)
      return `re-enabled proxy ${proxy.name} on ${proxy.listen}`
    })
  }
}

function findToxic(proxy: ProxyCore, name: string): ToxicView {
  const toxic = proxy.toxics().find((candidate) => candidate.name === name)
  if (toxic === undefined) throw toxicNotFound()
  return toxic
}

/** `upstream` or `downstream`, any case; an explicit `""` is invalid (only a missing stream defaults). */
function parseStream(stream: string): Direction {
  const direction = stream.toLowerCase()
  if (direction === 'upstream' || direction === 'downstream') return direction
  throw invalidStream()
}

function streamDirection(stream: string): Direction {
  return stream.toLowerCase() === 'upstream' ? 'upstream' : 'downstream'
}
