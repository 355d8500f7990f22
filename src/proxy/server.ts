/**
 * rift's Toxiproxy-compatible server as a library: `startProxyServer()` serves Toxiproxy 2.12's HTTP API
 * (plus rift's leases) until `close()`, which stops every proxy and closes every connection. Used by
 * `rift proxy`, by the Toxiproxy driver when no real server is configured, and by tests.
 *
 * Safe by default: the API binds 127.0.0.1 and proxies may listen only on loopback addresses, unless
 * `allowNonLoopback` is set.
 */
import {readFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {RIFT_VERSION} from '../engine/run-context.js'
import {RiftError} from '../errors.js'
import {ProxyCollection} from './api/collection.js'
import {silentLogger, type ProxyLogger} from './api/log.js'
import {ProxyMetrics} from './api/metrics.js'
import {createRouter} from './api/router.js'
import {isLoopbackListen, joinHostPort} from './listen-address.js'

export const DEFAULT_PROXY_API_HOST = '127.0.0.1'
export const DEFAULT_PROXY_API_PORT = 8474
/** The Toxiproxy release whose API this server implements. */
export const TOXIPROXY_API_VERSION = '2.12.0'
/** What GET /version reports: Toxiproxy's version, with rift's as semver build metadata (compares equal). */
export const DEFAULT_PROXY_VERSION = `${TOXIPROXY_API_VERSION}+rift.${RIFT_VERSION}`

export interface ProxyServerOptions {
  /** Let the API and the proxies bind addresses other than loopback. */
  allowNonLoopback?: boolean
  /** A JSON array of proxies (the body of POST /populate) to create at start; errors name the file. */
  config?: string
  /** Toxiproxy's http.TimeoutHandler: a request that takes longer is answered 503 (default 25 s). */
  handlerTimeoutMs?: number
  /** Default 127.0.0.1; `localhost` binds 127.0.0.1 as Go does. */
  host?: string
  /** Where the server reports what it does by itself (lease expiry) and what goes wrong. Default: nowhere. */
  log?: ProxyLogger
  /** Serve /metrics with the proxy byte counters (Toxiproxy's `-proxy-metrics`). */
  metrics?: boolean
  /** Default 8474; 0 picks a free port. */
  port?: number
  /** Add Node's process and runtime metrics to /metrics (Toxiproxy's `-runtime-metrics`). */
  runtimeMetrics?: boolean
  /** The version GET /version reports. */
  version?: string
}

export interface ProxyServer {
  close(): Promise<void>
  collection: ProxyCollection
  /** The address the API is bound to. */
  host: string
  port: number
  /** Where to send API requests, e.g. `http://127.0.0.1:8474`. */
  url: string
  /** What GET /version reports. */
  version: string
}

export async function startProxyServer(options: ProxyServerOptions = {}): Promise<ProxyServer> {
  const host = unbracket(options.host ?? DEFAULT_PROXY_API_HOST)
  const port = options.port ?? DEFAULT_PROXY_API_PORT
  const allowNonLoopback = options.allowNonLoopback ?? false
  if (!allowNonLoopback && !isLoopbackHost(host)) {
    throw new RiftError(
      'RIFT_PROXY_UNSAFE_BIND',
      `Refusing to serve the proxy API on ${JSON.stringify(host)}, which is not a loopback address: anyone who can reach it could redirect and break the traffic of every proxy`,
      {suggestions: ['Keep the default: rift proxy --host 127.0.0.1', `If other machines must reach it: rift proxy --host ${host || '0.0.0.0'} --allow-non-loopback`]},
    )
  }

  const log = options.log ?? silentLogger
  const metrics =
    options.metrics === true || options.runtimeMetrics === true
      ? new ProxyMetrics({proxy: options.metrics === true, runtime: options.runtimeMetrics === true})
      : undefined
  const collection = new ProxyCollection({allowNonLoopback, log, metrics})
  const version = options.version ?? DEFAULT_PROXY_VERSION
  const router = createRouter(
    {collection, metrics, version},
    {metrics: metrics !== undefined, ...(options.handlerTimeoutMs === undefined ? {} : {handlerTimeoutMs: options.handlerTimeoutMs})},
  )
  const server = createServer(router)
  // Go's http.Server: ReadTimeout 15 s, IdleTimeout 60 s.
  server.requestTimeout = 15_000
  server.headersTimeout = 15_000
  server.keepAliveTimeout = 60_000

  await listen(server, host.toLowerCase() === 'localhost' ? '127.0.0.1' : host, port)
  const address = server.address() as AddressInfo
  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await collection.close()
      await closed
    })())

  if (options.config !== undefined) {
    try {
      await populateFromConfig(collection, options.config)
    } catch (error) {
      await close()
      throw error
    }
  }
  return {close, collection, host: address.address, port: address.port, url: `http://${joinHostPort(address.address, address.port)}`, version}
}

/** Whether binding `host` keeps the API on this machine: 127.x.x.x, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  return isLoopbackListen(joinHostPort(unbracket(host), 0))
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const why = error.code === 'EADDRINUSE' ? 'bind: address already in use' : error.code === 'EADDRNOTAVAIL' ? 'bind: cannot assign requested address' : error.message
      reject(
        new RiftError('RIFT_PROXY_LISTEN_FAILED', `The proxy API could not listen on ${joinHostPort(host, port)}: ${why}`, {
          cause: error,
          suggestions: error.code === 'EADDRINUSE' ? [`Another server (a Toxiproxy?) uses port ${port}: stop it, or pick another with --port`] : ['Check --host and --port'],
        }),
      )
    }
    server.once('error', onError)
    server.listen(port, host === '' ? undefined : host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

const CONFIG_SHAPE = 'The file must hold a JSON array of proxies, the body of Toxiproxy\'s POST /populate: [{"name": "redis", "listen": "127.0.0.1:26379", "upstream": "127.0.0.1:6379"}]'

/** Runs populate with the file's contents, as Toxiproxy's `-config` does, but fails loudly (Go only logs). */
async function populateFromConfig(collection: ProxyCollection, file: string): Promise<void> {
  let text: Buffer
  try {
    text = await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new RiftError('RIFT_FILE_NOT_FOUND', `Proxy config ${file} does not exist`, {cause: error})
    throw new RiftError('RIFT_FILE_UNREADABLE', `Proxy config ${file} cannot be read: ${(error as Error).message}`, {cause: error})
  }
  const {error, failed} = await collection.populate(text)
  if (error === undefined) return
  if (failed !== undefined) {
    throw new RiftError('RIFT_PROXY_LISTEN_FAILED', `${file}: proxy ${failed.index} (${JSON.stringify(failed.name)}) could not start: ${error.message}`, {
      suggestions: ['Free the port, or change that proxy\'s "listen" in the file'],
    })
  }
  const where = error.offset === undefined ? file : `${file}:${lineColumn(text, error.offset)}`
  throw new RiftError('RIFT_PROXY_CONFIG_INVALID', `${where}: ${error.message.replace(/^bad request body: /, '')}`, {suggestions: [CONFIG_SHAPE]})
}

function lineColumn(text: Buffer, offset: number): string {
  const before = text.subarray(0, offset).toString('utf8')
  const lines = before.split('\n')
  return `${lines.length}:${lines.at(-1)!.length + 1}`
}
