/**
 * The global router: the one address clients use, standing in for a global load balancer or DNS failover.
 * It forwards `/kv/*` to a region through that region's `client-<region>` proxy and health-checks each
 * region the same way, so an outage injected on a client link is seen by the router exactly as by clients.
 *
 * - active-passive: traffic goes to the primary. When it goes down, the first healthy replica (in region
 *   order) is promoted (`POST /admin/promote` through its proxy, with the next epoch) and traffic follows.
 *   There is no automatic failback: a primary that comes back stays out of the path.
 * - active-active: traffic goes to the first healthy region in order, and moves back when an earlier one
 *   recovers (every region takes writes, so there is nothing to promote).
 * - sharded: a key goes to its home region; while that region is down its keys get 503.
 *
 * Besides `/kv/*`: `GET /router/state` (health, the active region, events), `GET /health` (the router's view)
 * and `GET /region/health` (the routed region's own /health, through its proxy: what a client sees).
 */
import {Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {forward, type ForwardTarget} from './forward.js'
import {HealthMonitor, type RegionHealth} from './health.js'
import {homeRegion} from './home.js'
import {kvKey, pathOf, sendJson} from './http-io.js'
import type {Pattern} from './types.js'

export interface RouterOptions {
  healthIntervalMs: number
  /** A region is down after this many consecutive failed checks, and up after as many successes (3). */
  healthThreshold?: number
  /** A health check with no answer within this is a failure (200 ms). */
  healthTimeoutMs?: number
  pattern: Pattern
  /** How long the promotion request may take (1000 ms). */
  promoteTimeoutMs?: number
  /** Each region's `client-<region>` proxy, in region order. */
  regions: ForwardTarget[]
  /** How long a forwarded request may take before the client gets 504 (3000 ms). */
  requestTimeoutMs?: number
}

export interface RouterEvent {
  at: string
  /** After a promotion: the new primary's epoch. */
  epoch?: number
  from?: string
  reason?: string
  region?: string
  to?: string
  type: 'region-down' | 'region-up' | 'failover' | 'promote-failed'
}

/** GET /router/state. */
export interface RouterState {
  /** Where writes and reads go now (active-passive, active-active); null when nothing can serve, or sharded. */
  active: string | null
  epoch?: number
  events: RouterEvent[]
  healthIntervalMs: number
  pattern: Pattern
  regions: RegionHealth[]
}

export class Router {
  readonly #agent = new Agent({keepAlive: true})
  #active: string | undefined
  #epoch = 1
  readonly #events: RouterEvent[] = []
  readonly #health: HealthMonitor
  readonly #options: Required<RouterOptions>
  #promoting = false
  readonly #server: Server
  #url = ''

  constructor(options: RouterOptions) {
    this.#options = {healthThreshold: 3, healthTimeoutMs: 200, promoteTimeoutMs: 1000, requestTimeoutMs: 3000, ...options}
    this.#active = options.pattern === 'sharded' ? undefined : options.regions[0]?.name
    this.#health = new HealthMonitor(options.regions, {
      agent: this.#agent,
      intervalMs: options.healthIntervalMs,
      onChange: (region, healthy) => this.#event({region, type: healthy ? 'region-up' : 'region-down'}),
      onCheck: () => this.#reroute(),
      threshold: this.#options.healthThreshold,
      timeoutMs: this.#options.healthTimeoutMs,
    })
    this.#server = createServer((req, res) => this.#handle(req, res))
  }

  get url(): string {
    return this.#url
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen({host: '127.0.0.1', port: 0}, () => {
        this.#server.off('error', reject)
        resolve()
      })
    })
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    this.#health.start()
    return this.#url
  }

  /** Resolves once every region has passed a health check; throws after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!this.#health.allConfirmed()) {
      if (Date.now() > deadline) {
        const unconfirmed = this.#health.snapshot().filter((region) => region.consecutiveSuccesses === 0)
        throw new Error(`the router could not reach ${unconfirmed.map((region) => `${region.name} (${region.lastError ?? 'no answer'})`).join(', ')} within ${timeoutMs} ms`)
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  async close(): Promise<void> {
    this.#health.stop()
    const closed = this.#server.listening ? new Promise<void>((resolve) => this.#server.close(() => resolve())) : Promise.resolve()
    this.#server.closeAllConnections()
    this.#agent.destroy()
    await closed
  }

  state(): RouterState {
    return {
      active: this.#active ?? null,
      ...(this.#options.pattern === 'active-passive' ? {epoch: this.#epoch} : {}),
      events: [...this.#events],
      healthIntervalMs: this.#options.healthIntervalMs,
      pattern: this.#options.pattern,
      regions: this.#health.snapshot(),
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req.url)
    if (path === '/router/state' && req.method === 'GET') return sendJson(res, 200, this.state())
    if (path === '/health' && req.method === 'GET') return this.#healthAnswer(res)
    // What a client sees: the health of the region the router sends traffic to, fetched through its proxy.
    // Probers use it to measure client-observed failover without writing anything.
    if (path === '/region/health' && req.method === 'GET') {
      const region = this.#routeFor('health')
      if (typeof region !== 'string') return sendJson(res, 503, region)
      req.url = '/health'
      return forward(req, res, this.#options.regions.find((candidate) => candidate.name === region)!, this.#agent, this.#options.requestTimeoutMs)
    }
    if (!path.startsWith('/kv/')) return sendJson(res, 404, {error: `no such endpoint: ${path}; clients use /kv/<key>`})
    const key = kvKey(req.url)
    if (key === undefined) return sendJson(res, 400, {error: 'the key in /kv/<key> is empty or not valid percent-encoding'})
    const region = this.#routeFor(key)
    if (typeof region !== 'string') {
      req.resume()
      return sendJson(res, 503, region)
    }
    const target = this.#options.regions.find((candidate) => candidate.name === region)!
    forward(req, res, target, this.#agent, this.#options.requestTimeoutMs)
  }

  /** The region that serves `key` now, or why none can. */
  #routeFor(key: string): string | {error: string; region?: string} {
    if (this.#options.pattern === 'sharded') {
      const home = homeRegion(key, this.#options.regions.map((region) => region.name))
      return this.#health.healthy(home) ? home : {error: `${home}, the home region of this key, is down`, region: home}
    }
    const active = this.#active
    if (active !== undefined && this.#health.healthy(active)) return active
    return active === undefined ? {error: 'no region is healthy'} : {error: `${active} is down and no healthy region has taken over yet`, region: active}
  }

  #healthAnswer(res: ServerResponse): void {
    const down = this.#health.snapshot().filter((region) => !region.healthy).map((region) => region.name)
    const serving = this.#options.pattern === 'sharded' ? down.length === 0 : this.#active !== undefined && this.#health.healthy(this.#active)
    sendJson(res, serving ? 200 : 503, {active: this.#active ?? null, down, pattern: this.#options.pattern, status: serving ? 'ok' : 'degraded'})
  }

  /** After every health check: move traffic if the region serving it is down. */
  #reroute(): void {
    const names = this.#options.regions.map((region) => region.name)
    if (this.#options.pattern === 'active-active') {
      const first = names.find((name) => this.#health.healthy(name))
      if (first !== this.#active) {
        this.#event({...(this.#active === undefined ? {} : {from: this.#active}), ...(first === undefined ? {} : {to: first}), type: 'failover'})
        this.#active = first
      }
      return
    }
    if (this.#options.pattern !== 'active-passive' || this.#promoting) return
    const from = this.#active
    if (from === undefined || this.#health.healthy(from)) return
    const to = names.find((name) => name !== from && this.#health.healthy(name))
    if (to === undefined) return
    this.#promoting = true
    void this.#promote(to, this.#epoch + 1)
      .then(
        (epoch) => {
          this.#epoch = epoch
          this.#active = to
          this.#event({epoch, from, to, type: 'failover'})
        },
        (error: unknown) => this.#event({reason: (error as Error).message, region: to, type: 'promote-failed'}),
      )
      .finally(() => (this.#promoting = false))
  }

  /** POST /admin/promote through the region's client proxy; resolves the epoch it took. */
  #promote(region: string, epoch: number): Promise<number> {
    const target = this.#options.regions.find((candidate) => candidate.name === region)!
    const body = JSON.stringify({epoch})
    return new Promise((resolve, reject) => {
      const req = request(target, body, this.#agent, (status, text) => {
        if (status !== 200) return reject(new Error(`status ${status}: ${text}`))
        let taken: unknown
        try {
          taken = (JSON.parse(text) as {epoch?: unknown}).epoch
        } catch {
          taken = undefined
        }
        resolve(typeof taken === 'number' ? taken : epoch)
      })
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.#options.promoteTimeoutMs} ms`)), this.#options.promoteTimeoutMs)
      req.on('close', () => clearTimeout(timer))
      req.on('error', reject)
    })
  }

  #event(event: Omit<RouterEvent, 'at'>): void {
    this.#events.push({at: new Date().toISOString(), ...event})
  }
}

/** A small POST with a JSON body whose whole answer is handed to `done`. */
function request(target: ForwardTarget, body: string, agent: Agent, done: (status: number, text: string) => void): ReturnType<typeof httpRequest> {
  const req = httpRequest(
    {agent, headers: {'content-length': Buffer.byteLength(body), 'content-type': 'application/json'}, host: target.host, method: 'POST', path: '/admin/promote', port: target.port},
    (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => done(res.statusCode ?? 0, text))
    },
  )
  req.end(body)
  return req
}
