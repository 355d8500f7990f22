/**
 * Passes one client request to a region through its `client-<region>` proxy and streams the answer back,
 * naming the region in `x-rift-region`. Nothing is retried: a failed request is what a client would see
 * during an outage, which is what rift measures.
 */
import {request, type Agent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http'

import {sendJson} from './http-io.js'

export interface ForwardTarget {
  host: string
  name: string
  port: number
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)))
}

export function forward(req: IncomingMessage, res: ServerResponse, target: ForwardTarget, agent: Agent, timeoutMs: number): void {
  let timedOut = false
  const upstream = request({
    agent,
    headers: {...endToEnd(req.headers), host: `${target.host}:${target.port}`},
    host: target.host,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    port: target.port,
  })
  const timer = setTimeout(() => {
    timedOut = true
    upstream.destroy(new Error(`no answer within ${timeoutMs} ms`))
  }, timeoutMs)
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, {...endToEnd(answer.headers), 'x-rift-region': target.name})
    answer.pipe(res)
    answer.on('end', () => clearTimeout(timer))
    answer.on('error', () => res.destroy())
  })
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    clearTimeout(timer)
    if (res.headersSent) return void res.destroy()
    const status = timedOut ? 504 : 502
    sendJson(res, status, {error: `${target.name} did not answer: ${error.message}`, region: target.name})
  })
  req.on('error', () => upstream.destroy())
  req.pipe(upstream)
}
