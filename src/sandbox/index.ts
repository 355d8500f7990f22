/**
 * `startSandbox()`: a small but real multi-region system to practise region faults on. Per region an API
 * node with a replicated key-value store; replication between regions over TCP through the fault proxy;
 * a global router that health-checks the regions through the proxy and fails over. Every path between
 * clients and regions, and between regions, is a named proxy (`client-<region>`, `repl-<from>-<to>`), so
 * an experiment can fault it by name. Everything binds 127.0.0.1.
 *
 * Start order: the fault proxy's API (embedded unless `proxyUrl` names one), the nodes, the proxies, the
 * replication streams (waited on, so sync replication starts with every replica reachable), the router
 * (waited on until every region passed a health check). stop() undoes it in reverse.
 */
import {Toxiproxy} from 'toxiproxy-node-client'

import {RiftError} from '../errors.js'
import {startProxyServer, type ProxyServer} from '../proxy/server.js'
import {RegionNode, type NodeAddresses} from './node.js'
import {createLinks, removeLinks, splitAddress, type LinkSpec} from './proxies.js'
import {regionNames} from './regions.js'
import {Router} from './router.js'
import {PATTERNS, REPLICATION_MODES, type Pattern, type Role, type Sandbox, type SandboxOptions} from './types.js'

export {homeRegion} from './home.js'
export {isIntactRecord, recordChecksum, type KvRecord} from './record.js'
export {MAX_REGIONS, REGION_NAMES} from './regions.js'
export type {NodeState} from './node.js'
export type {RouterEvent, RouterState} from './router.js'
export * from './types.js'

export const DEFAULT_HEALTH_INTERVAL_MS = 100
export const DEFAULT_SYNC_TIMEOUT_MS = 1000
/** How long start-up may wait for the replication handshakes and the router's first health checks. */
const START_TIMEOUT_MS = 5000

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const {pattern} = options
  const names = regionNames(options.regions ?? 2)
  const replication = checkOptions(options)
  const healthIntervalMs = options.healthIntervalMs ?? DEFAULT_HEALTH_INTERVAL_MS

  let embedded: ProxyServer | undefined
  let router: Router | undefined
  const nodes: RegionNode[] = []
  let specs: LinkSpec[] = []
  let toxiproxy: Toxiproxy | undefined
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const failures: unknown[] = []
      const attempt = async (step: () => Promise<void>): Promise<void> => step().catch((error: unknown) => void failures.push(error))
      if (router !== undefined) await attempt(() => router!.close())
      await Promise.all(nodes.map((node) => attempt(() => node.close())))
      // The embedded server takes its proxies with it; on a shared server, remove ours.
      if (embedded !== undefined) await attempt(() => embedded!.close())
      else if (toxiproxy !== undefined && specs.length > 0) await attempt(() => removeLinks(toxiproxy!, specs.map((spec) => spec.name)))
      if (failures.length > 0) throw new AggregateError(failures, `The sandbox did not stop cleanly: ${failures.map((error) => (error as Error).message).join('; ')}`)
    })())

  try {
    if (options.proxyUrl === undefined) embedded = await startProxyServer({port: 0})
    const proxyUrl = embedded?.url ?? options.proxyUrl!.replace(/\/+$/, '')
    toxiproxy = new Toxiproxy(proxyUrl)
    if (embedded === undefined) await checkReachable(toxiproxy, proxyUrl)

    for (const [index, region] of names.entries()) {
      nodes.push(
        new RegionNode({pattern, region, regions: names, replication, role: roleAt(pattern, index), syncTimeoutMs: options.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS}),
      )
    }
    const addresses = await Promise.all(nodes.map((node) => node.listen()))
    specs = linkSpecs(pattern, names, addresses)
    const links = await createLinks(toxiproxy, specs)

    await Promise.all(
      nodes.map((node) => {
        const outgoing = links.filter((link) => link.kind === 'replication' && link.from === node.region)
        return node.startReplication(outgoing.map((link) => ({to: link.to, ...splitAddress(link.listen)})), START_TIMEOUT_MS)
      }),
    )

    const clientLinks = links.filter((link) => link.kind === 'client')
    router = new Router({healthIntervalMs, pattern, regions: clientLinks.map((link) => ({name: link.to, ...splitAddress(link.listen)}))})
    const routerUrl = await router.listen()
    await router.ready(START_TIMEOUT_MS)

    return {
      pattern,
      proxyUrl,
      regions: names.map((name, index) => ({
        apiUrl: `http://127.0.0.1:${addresses[index]!.httpPort}`,
        clientUrl: `http://${clientLinks[index]!.listen}`,
        name,
        role: roleAt(pattern, index),
      })),
      replication,
      routerUrl,
      stop,
      topology: {links, regions: names},
    }
  } catch (error) {
    await stop().catch(() => {})
    throw error
  }
}

function checkOptions(options: SandboxOptions): 'async' | 'sync' | 'none' {
  const usage = (message: string, suggestion: string): RiftError => new RiftError('RIFT_USAGE', message, {suggestions: [suggestion]})
  if (!PATTERNS.includes(options.pattern)) {
    throw usage(`Unknown sandbox pattern ${JSON.stringify(options.pattern)}; it is one of ${PATTERNS.join(', ')}`, 'rift sandbox up --pattern active-passive')
  }
  if (options.replication !== undefined && !REPLICATION_MODES.includes(options.replication)) {
    throw usage(`Unknown replication ${JSON.stringify(options.replication)}; it is async or sync`, 'rift sandbox up --pattern active-passive --replication sync')
  }
  for (const [name, value] of [['healthIntervalMs', options.healthIntervalMs], ['syncTimeoutMs', options.syncTimeoutMs]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw usage(`${name} must be a positive number of milliseconds, not ${value}`, `startSandbox({pattern, ${name}: 100})`)
  }
  if (options.pattern !== 'sharded') return options.replication ?? 'async'
  if (options.replication === 'sync') {
    throw usage('A sharded sandbox has no replication: each key lives only in its home region, so --replication does not apply', 'rift sandbox up --pattern sharded')
  }
  return 'none'
}

function roleAt(pattern: Pattern, index: number): Role {
  switch (pattern) {
    case 'active-passive':
      return index === 0 ? 'primary' : 'replica'
    case 'active-active':
      return 'active'
    case 'sharded':
      return 'home'
  }
}

/**
 * A client link per region; replication links between every ordered pair of regions, except in sharded
 * (no replication). Active-passive gets the full mesh too, because any replica may be promoted and then
 * replicate to the others.
 */
function linkSpecs(pattern: Pattern, names: string[], addresses: NodeAddresses[]): LinkSpec[] {
  const specs: LinkSpec[] = names.map((name, index) => ({
    from: 'clients',
    kind: 'client',
    name: `client-${name}`,
    to: name,
    upstream: `127.0.0.1:${addresses[index]!.httpPort}`,
  }))
  if (pattern === 'sharded') return specs
  for (const from of names) {
    for (const [index, to] of names.entries()) {
      if (from !== to) specs.push({from, kind: 'replication', name: `repl-${from}-${to}`, to, upstream: `127.0.0.1:${addresses[index]!.replicationPort}`})
    }
  }
  return specs
}

async function checkReachable(toxiproxy: Toxiproxy, url: string): Promise<void> {
  try {
    await toxiproxy.getVersion()
  } catch (error) {
    throw new RiftError('RIFT_DRIVER_UNREACHABLE', `No Toxiproxy-compatible server answers at ${url}: ${(error as Error).message}`, {
      cause: error,
      suggestions: ['Start one with: rift proxy --port 8474', 'Or leave out the proxy URL to use the embedded one'],
    })
  }
}

