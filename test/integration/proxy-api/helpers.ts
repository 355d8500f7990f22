/**
 * Real servers on loopback for the proxy API tests: the proxy server itself (one per test, closed after it),
 * TCP echo upstreams, a raw HTTP client that sends exactly what it is given (paths, methods, user agents,
 * no redirects), and small socket helpers.
 */
import {request as httpRequest, type IncomingHttpHeaders} from 'node:http'
import {connect, createServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {Toxiproxy} from 'toxiproxy-node-client'
import {afterEach} from 'vitest'

import {startProxyServer, type ProxyServer, type ProxyServerOptions} from '../../../src/proxy/server.js'

const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  const pending = cleanups.splice(0).reverse()
  for (const cleanup of pending) await cleanup()
})

export interface TestServer extends ProxyServer {
  client: Toxiproxy
}

/** A proxy server on 127.0.0.1 with a free port, closed after the test. */
export async function startServer(options: ProxyServerOptions = {}): Promise<TestServer> {
  const server = await startProxyServer({port: 0, ...options})
  cleanups.push(() => server.close())
  return Object.assign(server, {client: new Toxiproxy(server.url)})
}

export interface Echo {
  /** `127.0.0.1:<port>`. */
  address: string
  /** Sockets the echo server has accepted and not yet seen close. */
  open: Set<Socket>
  port: number
}

/** A TCP server on 127.0.0.1 that writes back everything it reads. */
export async function startEcho(): Promise<Echo> {
  const open = new Set<Socket>()
  const server: Server = createServer((socket) => {
    open.add(socket)
    socket.on('data', (data) => socket.write(data))
    socket.on('error', () => undefined)
    socket.on('close', () => open.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  cleanups.push(async () => {
    for (const socket of open) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return {address: `127.0.0.1:${port}`, open, port}
}

/** A connected client socket, destroyed after the test. */
export async function dial(address: string): Promise<Socket> {
  const [host, port] = splitAddress(address)
  const socket = connect({host, port})
  cleanups.push(async () => {
    socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return socket
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':')
  let host = address.slice(0, colon)
  if (host.startsWith('[')) host = host.slice(1, -1)
  if (host === '' || host === '::' || host === '0.0.0.0') host = '127.0.0.1'
  return [host, Number(address.slice(colon + 1))]
}

/** Writes `payload` and waits for as many bytes back; resolves with them and the round-trip time. */
export function exchange(socket: Socket, payload: string, timeoutMs = 2_000): Promise<{data: string; ms: number}> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let data = ''
    const timer = setTimeout(() => finish(new Error(`no echo of ${JSON.stringify(payload)} within ${timeoutMs} ms (got ${JSON.stringify(data)})`)), timeoutMs)
    const onData = (chunk: Buffer): void => {
      data += chunk.toString()
      if (data.length >= payload.length) finish()
    }
    const onEnd = (): void => finish(new Error(`connection ended after ${JSON.stringify(data)}`))
    const finish = (error?: Error): void => {
      clearTimeout(timer)
      socket.off('data', onData)
      socket.off('end', onEnd)
      socket.off('error', onEnd)
      if (error) reject(error)
      else resolve({data, ms: performance.now() - started})
    }
    socket.on('data', onData)
    socket.once('end', onEnd)
    socket.once('error', onEnd)
    socket.write(payload)
  })
}

/** One echo round trip on a fresh connection through `address`. */
export async function roundTrip(address: string, payload = 'ping', timeoutMs = 2_000): Promise<{data: string; ms: number}> {
  const socket = await dial(address)
  try {
    return await exchange(socket, payload, timeoutMs)
  } finally {
    socket.destroy()
  }
}

/** What a connection attempt sees: refused, or accepted. */
export function connectOutcome(address: string): Promise<'refused' | 'connected'> {
  const [host, port] = splitAddress(address)
  return new Promise((resolve) => {
    const socket = connect({host, port})
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', () => resolve('refused'))
  })
}

/** Resolves when the socket is closed by the other side (`end` or `close`), with how it ended. */
export function closed(socket: Socket, timeoutMs = 2_000): Promise<'end' | 'reset' | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs)
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve(error.code === 'ECONNRESET' ? 'reset' : 'end')
    })
    socket.once('end', () => {
      clearTimeout(timer)
      resolve('end')
    })
    socket.resume()
  })
}

export interface RawResponse {
  body: string
  headers: IncomingHttpHeaders
  status: number
}

export interface RawRequest {
  body?: string
  headers?: Record<string, string>
  method?: string
}

/** An HTTP request sent exactly as given (the path is not normalised, redirects are not followed). */
export function raw(url: string, path: string, {body, headers = {}, method = 'GET'}: RawRequest = {}): Promise<RawResponse> {
  const {hostname, port} = new URL(url)
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: hostname.replace(/^\[|\]$/g, ''), port, path, method, headers: {'User-Agent': 'node', ...headers}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, status: res.statusCode ?? 0}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Shorthands for JSON API calls through `raw`. */
export function api(server: {url: string}) {
  return {
    get: (path: string) => raw(server.url, path),
    post: (path: string, body?: string) => raw(server.url, path, {method: 'POST', ...(body === undefined ? {} : {body})}),
    patch: (path: string, body?: string) => raw(server.url, path, {method: 'PATCH', ...(body === undefined ? {} : {body})}),
    delete: (path: string) => raw(server.url, path, {method: 'DELETE'}),
  }
}

/** The JSON body Go's http.Error writes for an ApiError. */
export function apiErrorBody(status: number, error: string): string {
  return `${JSON.stringify({error, status}).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')}\n`
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `check` is true. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/** A free loopback port (bound and released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Holds a loopback port busy for the rest of the test. */
export async function busyPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.address() as AddressInfo).port
}
