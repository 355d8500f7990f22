/**
 * Listen addresses the way Go's net package reads them (toxiproxy-api.md §1.5): `host:port` split as
 * net.SplitHostPort does, ports as LookupPort does (numbers, an empty port meaning 0, service names),
 * hosts resolved to their first IPv4 address, and an empty or wildcard host bound dual-stack and reported
 * as `[::]:<port>`. Errors carry Go's exact texts, because Toxiproxy returns them verbatim in 500 bodies.
 */
import {lookup} from 'node:dns/promises'
import {readFileSync} from 'node:fs'
import {isIP, isIPv4} from 'node:net'

/** A listen or address-resolution failure; `message` is Go's error text. */
export class ProxyListenError extends Error {
  override readonly name = 'ProxyListenError'
  /** The errno code (EADDRINUSE, …) for bind failures. */
  readonly code: string | undefined

  constructor(message: string, code?: string) {
    super(message)
    this.code = code
  }
}

/** Go's *net.AddrError, before an operation prefix is added. */
class AddrError extends Error {
  constructor(why: string, addr: string) {
    super(`address ${addr}: ${why}`)
  }
}

export interface HostPort {
  host: string
  port: string
}

/** Go's net.SplitHostPort. Throws an AddrError (`address X: missing port in address`, …). */
export function splitHostPort(hostport: string): HostPort {
  const last = hostport.lastIndexOf(':')
  if (last < 0) throw new AddrError('missing port in address', hostport)
  let host: string
  let j = 0
  let k = 0
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']')
    if (end < 0) throw new AddrError("missing ']' in address", hostport)
    if (end + 1 === hostport.length) throw new AddrError('missing port in address', hostport)
    if (end + 1 !== last) {
      throw new AddrError(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address', hostport)
    }
    host = hostport.slice(1, end)
    j = 1
    k = end + 1
  } else {
    host = hostport.slice(0, last)
    if (host.includes(':')) throw new AddrError('too many colons in address', hostport)
  }
  if (hostport.slice(j).includes('[')) throw new AddrError("unexpected '[' in address", hostport)
  if (hostport.slice(k).includes(']')) throw new AddrError("unexpected ']' in address", hostport)
  return {host, port: hostport.slice(last + 1)}
}

/** Go's JoinHostPort: brackets around hosts that contain a colon. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** Go's built-in service table (net/lookup.go), used before /etc/services. */
const GO_SERVICES: Record<string, number> = {
  ftp: 21, ftps: 990, gopher: 70, http: 80, https: 443, imap2: 143, imap3: 220, imaps: 993,
  pop3: 110, pop3s: 995, smtp: 25, submissions: 465, ssh: 22, telnet: 23,
}
let etcServices: Map<string, number> | undefined

function serviceMap(): Map<string, number> {
  if (etcServices) return etcServices
  etcServices = new Map(Object.entries(GO_SERVICES))
  try {
    for (const line of readFileSync('/etc/services', 'utf8').split('\n')) {
      const fields = line.replace(/#.*/, '').trim().split(/\s+/)
      const match = /^(\d+)\/tcp$/.exec(fields[1] ?? '')
      if (!match) continue
      for (const name of [fields[0], ...fields.slice(2)]) if (name) etcServices.set(name, Number(match[1]))
    }
  } catch {
    // No /etc/services: Go falls back to its built-in table too.
  }
  return etcServices
}

/** Go's LookupPort for "tcp": numbers (clamped as parsePort does), "" → 0, then service names. */
export function parsePort(service: string): number {
  let port: number | undefined
  if (service === '') port = 0
  else {
    const match = /^([+-]?)(\d+)$/.exec(service)
    if (match) {
      const cutoff = 2 ** 30
      const n = Math.min(Number(match[2]), 2 ** 32 - 1)
      port = match[1] === '-' ? -(n > cutoff ? cutoff : n) : n >= cutoff ? cutoff - 1 : n
    } else {
      port = serviceMap().get(service.toLowerCase())
      if (port === undefined) throw new Error(`lookup tcp/${service}: unknown port`)
    }
  }
  if (port < 0 || port > 65535) throw new AddrError('invalid port', service)
  return port
}

/** A resolved listen address: what to bind and how Go would print it. */
export interface ResolvedListen {
  /** IP to bind; '' for the wildcard (bound dual-stack, reported `[::]`). */
  ip: string
  port: number
  /** Go's TCPAddr.String() of the resolved address: `127.0.0.1:7070`, `:0`, `[::1]:0`, `0.0.0.0:0`. */
  text: string
}

function normaliseIPv6(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]!
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1)
}

async function resolveHost(host: string): Promise<string> {
  if (host === '') return ''
  if (isIPv4(host)) return host
  if (isIP(host) === 6) return normaliseIPv6(host)
  if (host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost')) return '127.0.0.1'
  let addresses: Array<{address: string; family: number}>
  try {
    addresses = await lookup(host, {all: true, verbatim: true})
  } catch {
    throw new Error(`lookup ${host}: no such host`)
  }
  const chosen = addresses.find((a) => a.family === 4) ?? addresses[0]
  if (!chosen) throw new Error(`lookup ${host}: no such host`)
  return chosen.family === 6 ? normaliseIPv6(chosen.address) : chosen.address
}

/** Splits, looks up and resolves `listen`; errors are Go's texts without an operation prefix. */
export async function parseListen(listen: string): Promise<ResolvedListen> {
  const {host, port} = listen === '' ? {host: '', port: ''} : splitHostPort(listen)
  const portNumber = parsePort(port)
  const ip = await resolveHost(host)
  return {ip, port: portNumber, text: joinHostPort(ip, portNumber)}
}

/**
 * Go's `net.ResolveTCPAddr("tcp", listen).String()`, as Toxiproxy's Differs() compares it with the current
 * listen: `localhost:7070` → `127.0.0.1:7070`, `:0` → `:0`. Rejects with a ProxyListenError whose message
 * has no `listen tcp` prefix (`address bad: missing port in address`).
 */
export async function resolveListenAddress(listen: string): Promise<string> {
  try {
    return (await parseListen(listen)).text
  } catch (error) {
    throw new ProxyListenError((error as Error).message)
  }
}

/**
 * Whether binding `listen` exposes the proxy only on loopback: `127.x.x.x`, `::1` and `localhost` are;
 * an empty host, `0.0.0.0`, `::` and other names are not. An address that cannot be parsed binds nothing
 * (start() fails with Go's error), so it counts as loopback.
 */
export function isLoopbackListen(listen: string): boolean {
  let host: string
  try {
    host = listen === '' ? '' : splitHostPort(listen).host
  } catch {
    return true
  }
  const lower = host.toLowerCase()
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true
  if (isIPv4(host)) return host.startsWith('127.')
  if (isIP(host) === 6) {
    const normal = normaliseIPv6(host)
    return normal === '::1' || (isIPv4(normal) && normal.startsWith('127.'))
  }
  return false
}
