/**
 * The sandbox's vocabulary, shared by the nodes, the router and `startSandbox`. Kept apart from the code so
 * the Toxiproxy driver and `rift demo` can import the shapes without pulling in sockets.
 */

/** The three classic multi-region layouts, each with its own acknowledgement rule. */
export const PATTERNS = ['active-passive', 'active-active', 'sharded'] as const
export type Pattern = (typeof PATTERNS)[number]

/** When a write is acknowledged relative to its replication. Sharded has no replication at all. */
export const REPLICATION_MODES = ['async', 'sync'] as const
export type ReplicationMode = (typeof REPLICATION_MODES)[number]

/**
 * A node's role: `primary`/`replica` in active-passive, `active` in active-active (every region takes
 * writes), `home` in sharded (each region owns the keys that hash to it).
 */
export type Role = 'primary' | 'replica' | 'active' | 'home'

/** A directed path that a fault can be put on: clients → region, or region → region (replication). */
export interface SandboxLink {
  from: string
  kind: 'client' | 'replication'
  /** Where the proxy listens: what the sender (the router, or a node's replication stream) connects to. */
  listen: string
  /** `client-<region>` or `repl-<from>-<to>`: the proxy's name on the Toxiproxy server. */
  name: string
  to: string
  /** The real address behind the proxy: a node's HTTP port (client) or replication port (replication). */
  upstream: string
}

export interface SandboxTopology {
  links: SandboxLink[]
  regions: string[]
}

export interface SandboxRegion {
  /** The node's own HTTP address, bypassing the fault proxy (for inspection; clients use the router). */
  apiUrl: string
  /** The node's HTTP address through its `client-<region>` proxy: what the router uses. */
  clientUrl: string
  name: string
  /** The role at start; active-passive promotes a replica on failover (see the router's state). */
  role: Role
}

export interface SandboxOptions {
  /** How often the router health-checks each region (default 100 ms). */
  healthIntervalMs?: number
  pattern: Pattern
  /** An existing Toxiproxy-compatible server to create the proxies on; default: start the embedded one. */
  proxyUrl?: string
  /** How many regions, 1 to 10 (default 2): us-east, eu-west, ap-south, sa-east, … */
  regions?: number
  /** `async` (default) or `sync`; sharded has no replication and accepts only the default. */
  replication?: ReplicationMode
  /** How long a sync write waits for its replicas before it fails with 503 (default 1000 ms). */
  syncTimeoutMs?: number
}

/** What `startSandbox` returns; everything but `stop` is plain data (it is `rift sandbox up --json`). */
export interface SandboxInfo {
  pattern: Pattern
  /** The Toxiproxy API that holds every link's proxy. */
  proxyUrl: string
  regions: SandboxRegion[]
  replication: ReplicationMode | 'none'
  /** Where clients send `/kv/*`: the global router. */
  routerUrl: string
  topology: SandboxTopology
}

export interface Sandbox extends SandboxInfo {
  /** Closes the router, the nodes, every replication socket, the proxies and the embedded server. Idempotent. */
  stop(): Promise<void>
}
