/**
 * Leases: rift's dead-man switch on the embedded proxy (an extension; a real Toxiproxy has no such thing).
 * A runner takes a lease with a time to live and renews it while it runs. Toxics it creates and proxies it
 * disables under the lease are *held* by it. When the lease is not renewed in time, or is released, the
 * server itself reverts what is still held: it removes those toxics and re-enables those proxies, through
 * the same paths as the API. A hold ends early when the API undoes the fault itself (the toxic is removed,
 * the proxy re-enabled, deleted or replaced), so a revert never touches something the lease did not make.
 */
import {randomBytes} from 'node:crypto'

import type {ProxyLogger} from './api/log.js'
import type {ProxyCore} from './types.js'

/** Something held under a lease, keyed by the proxy *object* so a replaced proxy is never touched. */
export type LeaseHold = {kind: 'toxic'; proxy: ProxyCore; toxic: string} | {kind: 'disabled'; proxy: ProxyCore}

/** A lease as POST /leases and POST /leases/{id} return it. */
export interface LeaseView {
  expires_at: string
  id: string
  name: string
  ttl_ms: number
}

export type HeldView = {proxy: string; toxic: string} | {disabled: true; proxy: string}

/** A lease as GET /leases lists it: also what it still holds. */
export interface LeaseDetail extends LeaseView {
  held: HeldView[]
}

/** The longest time to live: Node's timer limit (about 24.8 days). */
export const MAX_LEASE_TTL_MS = 2_147_483_647

export interface LeaseManagerOptions {
  log: ProxyLogger
  /**
   * Undoes one hold through the normal API paths, only if `stillHeld()` is true once it holds the
   * collection's lock; resolves to what it did, or undefined when nothing was left to do.
   */
  revert(hold: LeaseHold, stillHeld: () => boolean): Promise<string | undefined>
}

interface Lease {
  expiresAt: number
  holds: LeaseHold[]
  readonly id: string
  readonly name: string
  timer: NodeJS.Timeout
  ttlMs: number
}

export class LeaseManager {
  readonly #leases = new Map<string, Lease>()
  readonly #options: LeaseManagerOptions
  readonly #pending = new Set<Promise<void>>()
  readonly #reverting = new Set<Lease>()

  constructor(options: LeaseManagerOptions) {
    this.#options = options
  }

  create(ttlMs: number, name = ''): LeaseView {
    let id = randomBytes(10).toString('hex')
    while (this.#leases.has(id)) id = randomBytes(10).toString('hex')
    const lease: Lease = {expiresAt: 0, holds: [], id, name, timer: undefined as unknown as NodeJS.Timeout, ttlMs}
    this.#leases.set(id, lease)
    this.#arm(lease)
    return view(lease)
  }

  has(id: string): boolean {
    return this.#leases.has(id)
  }

  /** Starts the time to live again (with a new one if given); undefined when the lease has expired or never was. */
  renew(id: string, ttlMs?: number): LeaseView | undefined {
    const lease = this.#leases.get(id)
    if (lease === undefined) return undefined
    if (ttlMs !== undefined) lease.ttlMs = ttlMs
    clearTimeout(lease.timer)
    this.#arm(lease)
    return view(lease)
  }

  get(id: string): LeaseDetail | undefined {
    const lease = this.#leases.get(id)
    return lease === undefined ? undefined : detail(lease)
  }

  list(): LeaseDetail[] {
    return [...this.#leases.values()].map(detail)
  }

  /** Reverts everything still held and forgets the lease; false when there is no such lease. */
  async release(id: string): Promise<boolean> {
    const lease = this.#leases.get(id)
    if (lease === undefined) return false
    this.#forget(lease)
    await this.#revertAll(lease, 'released')
    return true
  }

  /** Holds a toxic under a lease (moving it from any other lease); false when the lease is gone. */
  attachToxic(id: string, proxy: ProxyCore, toxic: string): boolean {
    const lease = this.#leases.get(id)
    if (lease === undefined) return false
    this.detachToxic(proxy, toxic)
    lease.holds.push({kind: 'toxic', proxy, toxic})
    return true
  }

  /** Holds a proxy's disabled state under a lease; false when the lease is gone. */
  attachDisabled(id: string, proxy: ProxyCore): boolean {
    const lease = this.#leases.get(id)
    if (lease === undefined) return false
    this.detachDisabled(proxy)
    lease.holds.push({kind: 'disabled', proxy})
    return true
  }

  /** The toxic was removed through the API: no lease reverts it any more. */
  detachToxic(proxy: ProxyCore, toxic: string): void {
    this.#detach((hold) => hold.kind === 'toxic' && hold.proxy === proxy && hold.toxic === toxic)
  }

  /** The proxy was re-enabled through the API. */
  detachDisabled(proxy: ProxyCore): void {
    this.#detach((hold) => hold.kind === 'disabled' && hold.proxy === proxy)
  }

  /** The proxy was deleted or replaced. */
  detachProxy(proxy: ProxyCore): void {
    this.#detach((hold) => hold.proxy === proxy)
  }

  /** Forgets every lease without reverting (the server is shutting down and stops every proxy anyway). */
  close(): void {
    for (const lease of this.#leases.values()) clearTimeout(lease.timer)
    this.#leases.clear()
  }

  /** Resolves once the reverts of expired leases that are under way have finished (for tests and shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending])
  }

  #arm(lease: Lease): void {
    lease.expiresAt = Date.now() + lease.ttlMs
    lease.timer = setTimeout(() => this.#expire(lease), lease.ttlMs)
    lease.timer.unref()
  }

  #expire(lease: Lease): void {
    if (this.#leases.get(lease.id) !== lease) return
    this.#forget(lease)
    this.#options.log('warn', `lease ${describe(lease)} expired: not renewed within ${lease.ttlMs} ms; reverting ${lease.holds.length} held fault(s)`, {
      lease: lease.id,
      name: lease.name,
      held: lease.holds.length,
    })
    const pending = this.#revertAll(lease, 'expired')
    this.#pending.add(pending)
    void pending.finally(() => this.#pending.delete(pending))
  }

  #forget(lease: Lease): void {
    clearTimeout(lease.timer)
    this.#leases.delete(lease.id)
  }

  /**
   * Last in, first out; one failure does not stop the others. Never throws. A hold the API undoes while
   * this runs is skipped: `revert` checks `stillHeld()` under the collection's lock.
   */
  async #revertAll(lease: Lease, why: 'expired' | 'released'): Promise<void> {
    this.#reverting.add(lease)
    try {
      for (const hold of [...lease.holds].reverse()) {
        const what = hold.kind === 'toxic' ? `toxic ${hold.toxic} on proxy ${hold.proxy.name}` : `disabled proxy ${hold.proxy.name}`
        try {
          const done = await this.#options.revert(hold, () => lease.holds.includes(hold))
          if (done !== undefined) this.#options.log('info', `lease ${describe(lease)} ${why}: ${done}`, {lease: lease.id, proxy: hold.proxy.name})
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          this.#options.log('error', `lease ${describe(lease)} ${why}: could not revert ${what}: ${message}`, {lease: lease.id, proxy: hold.proxy.name})
        }
        lease.holds = lease.holds.filter((other) => other !== hold)
      }
    } finally {
      this.#reverting.delete(lease)
    }
  }

  #detach(match: (hold: LeaseHold) => boolean): void {
    for (const lease of [...this.#leases.values(), ...this.#reverting]) lease.holds = lease.holds.filter((hold) => !match(hold))
  }
}

function describe(lease: Lease): string {
  return lease.name === '' ? lease.id : `${lease.id} (${lease.name})`
}

function view(lease: Lease): LeaseView {
  return {id: lease.id, name: lease.name, ttl_ms: lease.ttlMs, expires_at: new Date(lease.expiresAt).toISOString()}
}

function detail(lease: Lease): LeaseDetail {
  const held = lease.holds.map((hold): HeldView => (hold.kind === 'toxic' ? {proxy: hold.proxy.name, toxic: hold.toxic} : {proxy: hold.proxy.name, disabled: true}))
  return {...view(lease), held}
}
