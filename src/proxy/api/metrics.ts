/**
 * /metrics in Prometheus text, with Toxiproxy 2.12's proxy metric names and labels:
 * `toxiproxy_proxy_{received,sent}_bytes_total{direction, listener, proxy, upstream}`. The data path keeps
 * running byte counts per proxy (ProxyCore.stats()); they are added to the counters when scraped, and
 * before a proxy's addresses change or it goes away, so each label set keeps what happened under it.
 * Optionally the process's own runtime metrics, like Toxiproxy's `-runtime-metrics`.
 */
import {collectDefaultMetrics, Counter, Registry} from 'prom-client'

import type {Direction, ProxyCore, ProxyStats} from '../types.js'

const DIRECTIONS: Direction[] = ['upstream', 'downstream']

export interface MetricsOptions {
  proxy: boolean
  runtime: boolean
}

export class ProxyMetrics {
  readonly registry = new Registry()
  readonly #received: Counter | undefined
  readonly #sent: Counter | undefined
  readonly #seen = new WeakMap<ProxyCore, ProxyStats>()

  constructor(options: MetricsOptions) {
    const labelNames = ['direction', 'listener', 'proxy', 'upstream']
    if (options.proxy) {
      this.#received = new Counter({
        name: 'toxiproxy_proxy_received_bytes_total',
        help: 'Total bytes received on a given proxy link',
        labelNames,
        registers: [this.registry],
      })
      this.#sent = new Counter({
        name: 'toxiproxy_proxy_sent_bytes_total',
        help: 'Total bytes sent on a given proxy link',
        labelNames,
        registers: [this.registry],
      })
    }
    if (options.runtime) collectDefaultMetrics({register: this.registry})
  }

  /** Adds what the proxy moved since the last harvest to the series of its current addresses. */
  harvest(proxy: ProxyCore): void {
    if (this.#received === undefined || this.#sent === undefined) return
    const now = proxy.stats()
    const before = this.#seen.get(proxy)
    this.#seen.set(proxy, {connections: now.connections, receivedBytes: {...now.receivedBytes}, sentBytes: {...now.sentBytes}})
    for (const direction of DIRECTIONS) {
      // Labels in Prometheus's sorted order, as Go's client writes them.
      const labels = {direction, listener: proxy.listen, proxy: proxy.name, upstream: proxy.upstream}
      const received = delta(now.receivedBytes[direction], before?.receivedBytes[direction])
      const sent = delta(now.sentBytes[direction], before?.sentBytes[direction])
      if (received > 0) this.#received.inc(labels, received)
      if (sent > 0) this.#sent.inc(labels, sent)
    }
  }

  async render(proxies: Iterable<ProxyCore>): Promise<{body: string; contentType: string}> {
    for (const proxy of proxies) this.harvest(proxy)
    return {body: await this.registry.metrics(), contentType: this.registry.contentType}
  }
}

/** Counts only grow; a count that went down was restarted, so all of it is new. */
function delta(now: number, before: number | undefined): number {
  if (before === undefined || now < before) return now
  return now - before
}
