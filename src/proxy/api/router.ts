/**
 * Routing as gorilla/mux 1.8 does it for Toxiproxy 2.12 (spec §1.1): the path is percent-decoded and
 * cleaned (a path that cleaning changes, such as `//proxies`, is a 301 to the clean one; a trailing slash
 * is kept and then matches nothing), `{name}` matches one non-empty segment, query strings are ignored.
 * Unknown paths are 404 `404 page not found`; a known path with another method is an empty 405. Only on a
 * matched route: the X-Toxiproxy-Request-Id header, the 403 for browsers, and the 25 s timeout (503).
 */
import type {IncomingMessage, ServerResponse} from 'node:http'

import {BodyTooLarge, readBody} from './http.js'
import * as handlers from './handlers.js'
import {errorReply, type ApiContext, type Handler, type Reply} from './handlers.js'
import {requestId} from './request-id.js'
import {badRequest} from './errors.js'

interface Route {
  /** Path segments; `*` matches one non-empty segment. */
  segments: string[]
  /** Method → handler; `*` accepts any method. */
  methods: Record<string, Handler>
}

function route(path: string, methods: Record<string, Handler>): Route {
  return {segments: path.slice(1).split('/'), methods}
}

export interface RouterOptions {
  /** Toxiproxy's http.TimeoutHandler: 25 s, then 503 with an empty body. */
  handlerTimeoutMs?: number
  /** Serve /metrics (any method); otherwise it is an unknown path. */
  metrics: boolean
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

export function createRouter(ctx: ApiContext, options: RouterOptions): RequestListener {
  const routes: Route[] = [
    route('/reset', {POST: handlers.reset}),
    route('/proxies', {GET: handlers.listProxies, POST: handlers.createProxy}),
    route('/populate', {POST: handlers.populate}),
    route('/proxies/*', {GET: handlers.getProxy, POST: handlers.updateProxy, PATCH: handlers.updateProxy, DELETE: handlers.deleteProxy}),
    route('/proxies/*/toxics', {GET: handlers.listToxics, POST: handlers.createToxic}),
    route('/proxies/*/toxics/*', {GET: handlers.getToxic, POST: handlers.updateToxic, PATCH: handlers.updateToxic, DELETE: handlers.deleteToxic}),
    route('/version', {GET: handlers.version}),
    route('/leases', {GET: handlers.listLeases, POST: handlers.createLease}),
    route('/leases/*', {GET: handlers.getLease, POST: handlers.renewLease, DELETE: handlers.releaseLease}),
  ]
  if (options.metrics) routes.push(route('/metrics', {'*': handlers.metrics}))
  const timeoutMs = options.handlerTimeoutMs ?? 25_000

  return (req, res) => {
    if (req.url === '*' && req.method === 'OPTIONS') {
      // net/http answers `OPTIONS *` itself.
      res.writeHead(200, {'Content-Length': 0})
      res.end()
      return
    }
    const target = splitTarget(req.url ?? '/')
    const path = percentDecode(target.path)
    if (path === undefined) {
      // net/http answers an unparsable request URI itself, before any handler.
      res.writeHead(400, {'Content-Type': 'text/plain; charset=utf-8', Connection: 'close'})
      res.end('400 Bad Request')
      return
    }
    const clean = cleanPath(path)
    if (clean !== path) {
      res.writeHead(301, {'Content-Length': 0, Location: escapePath(clean) + (target.query === undefined || target.query === '' ? '' : `?${target.query}`)})
      res.end()
      return
    }

    const segments = path.slice(1).split('/')
    let pathMatched = false
    for (const candidate of routes) {
      const params = match(candidate.segments, segments)
      if (params === undefined) continue
      const handler = candidate.methods[req.method ?? ''] ?? candidate.methods['*']
      if (handler === undefined) {
        pathMatched = true
        continue
      }
      serve(ctx, handler, params, req, res, timeoutMs)
      return
    }
    if (pathMatched) {
      res.writeHead(405, {'Content-Length': 0})
      res.end()
      return
    }
    write(res, errorText(404, '404 page not found'))
  }
}

function serve(ctx: ApiContext, handler: Handler, params: string[], req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  res.setHeader('X-Toxiproxy-Request-Id', requestId())
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    write(res, errorText(403, 'User agent not allowed'))
    return
  }
  let body: Promise<Buffer> | undefined
  const request = {
    body: () => (body ??= readBody(req)),
    method: req.method ?? '',
    params,
  }
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<Reply>((resolve) => {
    timer = setTimeout(() => resolve({status: 503}), timeoutMs)
  })
  const handled = handler(ctx, request).catch((error: unknown) => {
    if (error instanceof BodyTooLarge) return errorReply(badRequest(error.message))
    return errorReply(error)
  })
  void Promise.race([handled, timedOut]).then((reply) => {
    clearTimeout(timer)
    write(res, reply)
  })
}

function write(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return
  const bytes = reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8')
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value)
  // net/http sets Content-Length when the whole body fits its 2 KiB buffer, and chunks larger ones.
  if (bytes !== undefined && bytes.length <= 2048) res.setHeader('Content-Length', bytes.length)
  res.writeHead(reply.status)
  res.end(bytes)
}

function errorText(status: number, text: string): Reply {
  return {body: `${text}\n`, headers: {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff'}, status}
}

function match(pattern: string[], segments: string[]): string[] | undefined {
  if (pattern.length !== segments.length) return undefined
  const params: string[] = []
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!
    const got = segments[i]!
    if (want === '*') {
      if (got === '') return undefined
      params.push(got)
    } else if (want !== got) {
      return undefined
    }
  }
  return params
}

/** The path and query of a request target (origin-form, or absolute-form as a proxy would send). */
function splitTarget(url: string): {path: string; query: string | undefined} {
  let rest = url
  if (!rest.startsWith('/')) {
    const scheme = rest.indexOf('://')
    if (scheme !== -1) {
      const slash = rest.indexOf('/', scheme + 3)
      rest = slash === -1 ? '' : rest.slice(slash)
    }
  }
  const q = rest.indexOf('?')
  return q === -1 ? {path: rest, query: undefined} : {path: rest.slice(0, q), query: rest.slice(q + 1)}
}

/** Go's url.PathUnescape: `%XX` to a byte (a bad escape fails), `+` stays; the bytes read as UTF-8. */
function percentDecode(path: string): string | undefined {
  if (!path.includes('%')) return path
  const bytes: number[] = []
  const raw = Buffer.from(path, 'utf8')
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!
    if (c !== 0x25) {
      bytes.push(c)
      continue
    }
    const hex = raw.subarray(i + 1, i + 3).toString('latin1')
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined
    bytes.push(parseInt(hex, 16))
    i += 2
  }
  return Buffer.from(bytes).toString('utf8')
}

/** gorilla/mux's cleanPath: Go's path.Clean, keeping a trailing slash. */
export function cleanPath(path: string): string {
  if (path === '') return '/'
  const rooted = path.startsWith('/') ? path : `/${path}`
  const out: string[] = []
  for (const segment of rooted.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') out.pop()
    else out.push(segment)
  }
  let clean = `/${out.join('/')}`
  if (rooted.endsWith('/') && clean !== '/') clean += '/'
  return clean
}

/** How net/url writes a path in a Location header. */
function escapePath(path: string): string {
  let out = ''
  for (const byte of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}
