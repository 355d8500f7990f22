/**
 * The driver's connection to a Toxiproxy-compatible server, through toxiproxy-node-client like any user
 * of a real Toxiproxy, plus rift's lease extension over plain HTTP. When no url is configured it starts
 * rift's embedded server and owns it.
 *
 * Leases: on a rift server every toxic and every disabled proxy is attached to a lease that this client
 * renews at a third of its time to live. If the runner dies, the server reverts them by itself.
 */
import {Toxiproxy} from 'toxiproxy-node-client'

import type {ProxyServer} from '../../proxy/server.js'
import type {DriverConnectContext, Logger, Topology} from '../define.js'
import {leaseTtlMs, serverFlavor, type ToxiproxyConfig} from './config.js'
import type {Operation} from './operations.js'

export interface ToxicBody {
  attributes: Record<string, number>
  name: string
  stream: string
  toxicity: number
  type: string
}

export class ToxiproxyClient {
  #lease: string | undefined
  #renewal: NodeJS.Timeout | undefined

  private constructor(
    readonly url: string,
    readonly flavor: 'rift' | 'toxiproxy',
    private readonly api: Toxiproxy,
    private readonly log: Logger,
    private readonly embedded: ProxyServer | undefined,
  ) {}

  static async connect(config: ToxiproxyConfig, context: DriverConnectContext): Promise<ToxiproxyClient> {
    // Loaded only when needed: the server (and its metrics library) would slow every command's start-up.
    const embedded = config.url ? undefined : await (await import('../../proxy/server.js')).startProxyServer({port: 0})
    const url = (config.url ?? embedded!.url).replace(/\/$/, '')
    const client = new ToxiproxyClient(url, serverFlavor(config), new Toxiproxy(url), context.log, embedded)
    try {
      await client.#version()
      if (context.topology) await client.ensureProxies(context.topology)
      if (client.flavor === 'rift') await client.#startLease(leaseTtlMs(config))
      return client
    } catch (error) {
      await client.close()
      throw error
    }
  }

  async #version(): Promise<string> {
    const response = await fetch(`${this.url}/version`, {signal: AbortSignal.timeout(5000)}).catch((error: unknown) => {
      throw new Error(`no Toxiproxy answers at ${this.url} (${(error as Error).message})`)
    })
    if (!response.ok) throw new Error(`${this.url}/version answered ${response.status}; is this a Toxiproxy server?`)
    return response.text()
  }

  /** Creates a proxy for every link that declares listen and upstream and has none yet; leaves others alone. */
  async ensureProxies(topology: Topology): Promise<void> {
    const existing = await this.api.getAll()
    const missing = topology.links.filter((link) => link.listen && link.upstream && !existing[link.name])
    for (const link of missing) {
      await this.api.createProxy({enabled: true, listen: link.listen!, name: link.name, upstream: link.upstream!})
    }
  }

  async #startLease(ttlMs: number): Promise<void> {
    const response = await fetch(`${this.url}/leases`, {
      body: JSON.stringify({name: `rift-runner-${process.pid}`, ttl_ms: ttlMs}),
      method: 'POST',
    })
    if (response.status !== 201) throw new Error(`could not take a lease on ${this.url} (HTTP ${response.status}); is it a rift proxy? Set server: toxiproxy for a real Toxiproxy`)
    this.#lease = ((await response.json()) as {id: string}).id
    this.#renewal = setInterval(() => void this.#renew(), Math.max(50, Math.floor(ttlMs / 3)))
    // The renewal must never keep a finished process alive; a dead process must let the lease lapse.
    this.#renewal.unref()
  }

  async #renew(): Promise<void> {
    if (!this.#lease) return
    const response = await fetch(`${this.url}/leases/${this.#lease}`, {method: 'POST'}).catch(() => undefined)
    if (response?.status === 404) {
      this.log.warn(`lease ${this.#lease} on ${this.url} expired before it was renewed; the server reverted the faults it held`)
      this.#lease = undefined
    }
  }

  async proxy(name: string) {
    try {
      return await this.api.get(name)
    } catch (error) {
      if (isNotFound(error)) throw new Error(`proxy "${name}" not found on ${this.url}; declare listen and upstream on the link, or create the proxy first`)
      throw error
    }
  }

  /** Applies one operation; under a lease on a rift server. */
  async apply(operation: Operation): Promise<void> {
    const proxy = await this.proxy(operation.proxy)
    const lease = this.#lease ? {lease: this.#lease} : {}
    if (operation.kind === 'disable') {
      // `lease` is rift's additive field; a real Toxiproxy ignores unknown keys.
      await proxy.update({enabled: false, listen: proxy.listen, upstream: proxy.upstream, ...lease})
      return
    }
    const {attributes, stream, toxic, toxicity, type} = operation
    await proxy.addToxic({attributes, name: toxic, stream, toxicity, type, ...lease} as never)
  }

  /**
   * Undoes one operation. Returns false when there was nothing to undo: the proxy or toxic is gone ("not
   * found" means already reverted) or the proxy is already enabled.
   */
  async undo(operation: Operation): Promise<boolean> {
    const proxy = await orUndefined(this.api.get(operation.proxy))
    if (!proxy) return false
    if (operation.kind === 'disable') {
      if (proxy.enabled) return false
      await proxy.update({enabled: true, listen: proxy.listen, upstream: proxy.upstream})
      return true
    }
    const toxic = await orUndefined(proxy.getToxic(operation.toxic))
    if (!toxic) return false
    // A concurrent revert (the server's lease expiry) may win the race: its 404 is the same outcome.
    try {
      await toxic.remove()
      return true
    } catch (error) {
      if (isNotFound(error)) return false
      throw error
    }
  }

  /** The toxic as the server holds it, or undefined. */
  async toxic(proxy: string, name: string): Promise<ToxicBody | undefined> {
    const found = await orUndefined(this.api.get(proxy))
    const toxic = found && (await orUndefined(found.getToxic<Record<string, number>>(name)))
    return toxic ? {attributes: toxic.attributes, name: toxic.name, stream: toxic.stream, toxicity: toxic.toxicity, type: toxic.type} : undefined
  }

  async close(): Promise<void> {
    clearInterval(this.#renewal)
    if (this.#lease) {
      // Releasing reverts whatever is still held under the lease: a last safety net after the engine's unwind.
      await fetch(`${this.url}/leases/${this.#lease}`, {method: 'DELETE'}).catch(() => undefined)
      this.#lease = undefined
    }
    await this.embedded?.close()
  }
}

/** A 404 from the server as undefined; any other failure still throws. */
async function orUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && /status code 404\b/.test(error.message)
}
