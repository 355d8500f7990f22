/**
 * The router's view of each region: a `GET /health` through the region's `client-<region>` proxy at a fixed
 * interval, so whatever a fault does to clients' traffic it also does to the health checks. Like a load
 * balancer's target health, a region goes down after `threshold` consecutive failures (an error, a non-200,
 * or no answer within `timeoutMs`) and comes back after `threshold` consecutive successes; one lost probe
 * changes nothing. Checks start on the interval even while earlier ones are pending, so a blackholed region
 * is detected in about timeoutMs + threshold × interval rather than threshold × timeoutMs.
 */
import {request, type Agent} from 'node:http'

export interface HealthTarget {
  host: string
  name: string
  port: number
}

export interface HealthOptions {
  agent: Agent
  intervalMs: number
  /** Called after every completed check (the router re-evaluates its routing there). */
  onCheck: () => void
  /** Called when a region changes state. */
  onChange: (name: string, healthy: boolean) => void
  threshold: number
  timeoutMs: number
}

export interface RegionHealth {
  checks: number
  consecutiveFailures: number
  consecutiveSuccesses: number
  healthy: boolean
  lastCheckAt?: string
  lastError?: string
  name: string
}

/** More checks than this in flight for one region (all timing out) add nothing: skip the tick. */
const MAX_IN_FLIGHT = 4

interface Tracked {
  confirmed: boolean
  inFlight: number
  state: RegionHealth
  target: HealthTarget
}

export class HealthMonitor {
  readonly #options: HealthOptions
  readonly #regions: Tracked[]
  #timer: NodeJS.Timeout | undefined

  constructor(targets: HealthTarget[], options: HealthOptions) {
    this.#options = options
    // Optimistic until told otherwise: the sandbox was just started and is waited on before it is used.
    this.#regions = targets.map((target) => ({
      confirmed: false,
      inFlight: 0,
      state: {checks: 0, consecutiveFailures: 0, consecutiveSuccesses: 0, healthy: true, name: target.name},
      target,
    }))
  }

  start(): void {
    if (this.#timer !== undefined) return
    const tick = (): void => {
      for (const region of this.#regions) if (region.inFlight < MAX_IN_FLIGHT) this.#check(region)
    }
    tick()
    this.#timer = setInterval(tick, this.#options.intervalMs)
  }

  /** Stops checking; results of checks still in flight are ignored. */
  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  healthy(name: string): boolean {
    return this.#regions.find((region) => region.target.name === name)?.state.healthy ?? false
  }

  /** Every region has answered at least one check. */
  allConfirmed(): boolean {
    return this.#regions.every((region) => region.confirmed)
  }

  snapshot(): RegionHealth[] {
    return this.#regions.map((region) => ({...region.state}))
  }

  #check(region: Tracked): void {
    region.inFlight += 1
    void probe(region.target, this.#options).then((error) => {
      region.inFlight -= 1
      if (this.#timer === undefined) return
      this.#record(region, error)
      this.#options.onCheck()
    })
  }

  #record(region: Tracked, error: string | undefined): void {
    const state = region.state
    state.checks += 1
    state.lastCheckAt = new Date().toISOString()
    if (error === undefined) {
      region.confirmed = true
      state.consecutiveSuccesses += 1
      state.consecutiveFailures = 0
      delete state.lastError
      if (!state.healthy && state.consecutiveSuccesses >= this.#options.threshold) this.#set(region, true)
    } else {
      state.consecutiveFailures += 1
      state.consecutiveSuccesses = 0
      state.lastError = error
      if (state.healthy && state.consecutiveFailures >= this.#options.threshold) this.#set(region, false)
    }
  }

  #set(region: Tracked, healthy: boolean): void {
    region.state.healthy = healthy
    this.#options.onChange(region.target.name, healthy)
  }
}

/** One health check: resolves undefined when healthy, or why not. Never rejects. */
function probe(target: HealthTarget, options: HealthOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({agent: options.agent, host: target.host, method: 'GET', path: '/health', port: target.port}, (res) => {
      res.resume()
      res.on('end', () => {
        clearTimeout(timer)
        resolve(res.statusCode === 200 ? undefined : `status ${res.statusCode}`)
      })
      res.on('error', (error) => {
        clearTimeout(timer)
        resolve(error.message)
      })
    })
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs)
    req.on('error', (error) => {
      clearTimeout(timer)
      resolve(error.message)
    })
    req.end()
  })
}
