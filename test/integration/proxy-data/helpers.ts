/**
 * Real sockets on 127.0.0.1 for the data-path tests: echo and sink upstreams on port 0, proxies built with
 * createProxyCore, clients that record what they receive and how the connection ended. Everything a test
 * opens is closed by `cleanup()` (call it in afterEach).
 */
import {connect, createServer, type Server, type Socket} from 'node:net'
import {createProxyCore} from '../../../src/proxy/core/index.js'
import type {Direction, ProxyCore, ToxicConfig} from '../../../src/proxy/types.js'

const closers: Array<() => Promise<void> | void> = []

export async function cleanup(): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close()
}

export interface Upstream {
  port: number
  server: Server
  /** Server-side sockets, in accept order. */
  sockets: Socket[]
}

function serve(onSocket: (socket: Socket) => void): Promise<Upstream> {
  const sockets: Socket[] = []
  const server = createServer({noDelay: true}, (socket) => {
    sockets.push(socket)
    socket.on('error', () => {})
    onSocket(socket)
  })
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  return new Promise((resolve) => server.listen({port: 0, host: '127.0.0.1', backlog: 4096}, () => resolve({port: (server.address() as {port: number}).port, server, sockets})))
}

/** Writes back whatever it receives. */
export function startEcho(): Promise<Upstream> {
  return serve((socket) => socket.on('data', (data) => socket.write(data)))
}

/** Accepts connections and leaves them to the test (which reads `sockets`). */
export function startSilent(): Promise<Upstream> {
  return serve(() => {})
}

export async function startProxy(upstreamPort: number, name = 'test'): Promise<{proxy: ProxyCore; port: number}> {
  const proxy = createProxyCore({enabled: true, listen: '127.0.0.1:0', name, upstream: `127.0.0.1:${upstreamPort}`})
  await proxy.start()
  closers.push(() => proxy.stop())
  return {proxy, port: portOf(proxy.listen)}
}

export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1))
}

export function toxic(
  type: string,
  attributes: Record<string, number>,
  options: {name?: string; direction?: Direction; toxicity?: number} = {},
): ToxicConfig {
  const direction = options.direction ?? 'downstream'
  return {attributes, direction, name: options.name ?? `${type}_${direction}`, stream: direction, toxicity: options.toxicity ?? 1, type}
}

export interface Closed {
  how: 'end' | 'error' | 'close'
  code: string | undefined
  /** performance.now() */
  at: number
}

export interface Client {
  socket: Socket
  /** Everything received so far. */
  received(): Buffer
  /** performance.now() of each 'data' event, with its size. */
  reads: Array<{at: number; bytes: number}>
  /** How the connection ended: FIN ('end'), an error such as ECONNRESET, or a bare close. */
  closed: Promise<Closed>
  /** Resolves with performance.now() when at least `bytes` have been received in total. */
  waitFor(bytes: number): Promise<number>
}

/** Connects and records what arrives. */
export function connectClient(port: number): Promise<Client> {
  const socket = connect({port, host: '127.0.0.1', noDelay: true})
  closers.push(() => void socket.destroy())
  const chunks: Buffer[] = []
  const reads: Array<{at: number; bytes: number}> = []
  let total = 0
  const waiters: Array<{bytes: number; resolve: (at: number) => void}> = []
  let closed: Closed | undefined
  const closedPromise = new Promise<Closed>((resolve) => {
    const finish = (how: Closed['how'], code?: string): void => {
      closed ??= {how, code, at: performance.now()}
      resolve(closed)
    }
    socket.on('end', () => finish('end'))
    socket.on('error', (error: NodeJS.ErrnoException) => finish('error', error.code))
    socket.on('close', () => finish('close'))
  })
  socket.on('data', (data: Buffer) => {
    const at = performance.now()
    chunks.push(data)
    reads.push({at, bytes: data.length})
    total += data.length
    for (const waiter of waiters.filter((w) => total >= w.bytes)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(at)
    }
  })
  const client: Client = {
    socket,
    received: () => Buffer.concat(chunks),
    reads,
    closed: closedPromise,
    waitFor: (bytes) => (total >= bytes ? Promise.resolve(performance.now()) : new Promise((resolve) => waiters.push({bytes, resolve}))),
  }
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client))
    socket.once('error', reject)
  })
}

/** Opens `count` clients at once and waits until each has reached `upstream` through the proxy. */
export async function connectMany(port: number, count: number, upstream: Upstream): Promise<Client[]> {
  const before = upstream.sockets.length
  const clients = await Promise.all(Array.from({length: count}, () => connectClient(port)))
  await until(() => upstream.sockets.length >= before + count, 20_000)
  await sleep(20) // the proxy's 'connect' handler (which starts the links) runs after the upstream's accept
  return clients
}

/** Rejects with the error code (ECONNREFUSED…) or resolves 'connected'. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({port, host: '127.0.0.1'})
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
  })
}

/**
 * How late an event may be on a loaded 2-core machine (vitest runs two files at once, one of them may be
 * moving a GiB). Lower bounds stay exact: they are the semantics; the benchmark measures precision.
 */
export const LATE_MS = 50

/**
 * Retries for tests that assert timing. A retry is only ever needed for an upper bound (the machine
 * stalled the test); a semantic failure (wrong bytes, wrong close, too early) fails every attempt.
 */
export const TIMING_RETRIES = 2

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `predicate` holds, polling every 5 ms, for at most `ms`. */
export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const deadline = performance.now() + ms
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error('condition not met in time')
    await sleep(5)
  }
}
