/**
 * The seam between the fault proxy's HTTP API (src/proxy/api, server.ts) and its data path (src/proxy/core,
 * src/proxy/toxics). The API validates and decodes requests exactly as Toxiproxy 2.12 does and keeps the
 * collection of proxies; the data path owns listeners, connections and toxic chains. Spec:
 * ../shared/reference/toxiproxy-api.md.
 */

/** `upstream` = client → server; `downstream` = server → client (Toxiproxy's default). */
export type Direction = 'upstream' | 'downstream'

/** How an attribute is decoded from JSON, matching Go: ints reject 1.5, 1.0 and 1e3; floats take any number. */
export type AttributeKind = 'int64' | 'int' | 'float64'

export interface ToxicTypeInfo {
  /** Attribute names in serialisation order, each with its kind; missing attributes default to 0. */
  attributes: Record<string, AttributeKind>
  /** The Go struct name used in decode error texts, e.g. `LatencyToxic`. */
  goName: string
}

/** A toxic as the API shows it: Toxiproxy's ToxicWrapper, in its field order. */
export interface ToxicView {
  attributes: Record<string, number>
  name: string
  type: string
  /** As the client sent it (`UPSTREAM` stays `UPSTREAM`). */
  stream: string
  toxicity: number
}

/** A validated toxic, ready for the data path. */
export interface ToxicConfig extends ToxicView {
  direction: Direction
}

export interface ProxyInit {
  enabled: boolean
  /** As sent by the client; bound on start. */
  listen: string
  name: string
  upstream: string
}

/** Byte counters for /metrics (Toxiproxy's toxiproxy_proxy_{received,sent}_bytes_total). */
export interface ProxyStats {
  connections: number
  receivedBytes: Record<Direction, number>
  sentBytes: Record<Direction, number>
}

/**
 * One proxy's data path. Invariants: `listen` is the string sent until the first successful start, then
 * the bound address, kept after a stop so that a restart rebinds the same port (as Go's Proxy.Listen);
 * stopping closes the listener and both sockets of every connection; toxic changes apply to live
 * connections without losing or duplicating bytes (removing `timeout` closes, as in Toxiproxy).
 */
export interface ProxyCore {
  /** True while the listener is bound (start() succeeded and stop() has not run). */
  readonly enabled: boolean
  readonly listen: string
  readonly name: string
  readonly upstream: string
  /** Bind the listener. Rejects with a ProxyListenError whose message is Go's text. No-op when started. */
  start(): Promise<void>
  /** Close the listener and every connection. No-op when stopped. */
  stop(): Promise<void>
  /** Replace the addresses; only while stopped (the API stops, sets, and restarts as Toxiproxy does). */
  setAddresses(listen: string, upstream: string): void
  /** Appended to the end of its direction's chain, on every live connection too. */
  addToxic(config: ToxicConfig): void
  /** Restart the toxic with new values on every live connection (toxicity is re-rolled). */
  updateToxic(config: ToxicConfig): void
  /** Splice the toxic out of every live connection, passing its buffered data on. */
  removeToxic(name: string): Promise<void>
  /** Upstream toxics first, then downstream, each in insertion order. */
  toxics(): ToxicView[]
  /** Open connections now; byte counts are added when a connection closes, as Toxiproxy's metrics are. */
  stats(): ProxyStats
}
