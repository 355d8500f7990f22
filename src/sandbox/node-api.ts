/**
 * A region node's HTTP API, what clients (through the router and the `client-<region>` proxy) and operators
 * see. Every response names the region in `x-rift-region`, so a client can tell who served it.
 *
 *   PUT  /kv/:key        body = value; acknowledged per the pattern's rule (200 with the record)
 *   GET  /kv/:key        200 {key, value, version, checksum, region, writtenAt}, 404 when absent
 *   GET  /health         200 {region, role}
 *   GET  /admin/state    200 counts: records, replicated, corruptRecordsRejected, lag, …
 *   POST /admin/promote  active-passive: make this region the primary (body {epoch} optional)
 */
import type {IncomingMessage, RequestListener, ServerResponse} from 'node:http'

import {kvKey, pathOf, readBody, sendJson} from './http-io.js'

/** A reply from the node's logic: a status and a JSON body. */
export interface Reply {
  body: unknown
  status: number
}

/** What the API needs from a node; RegionNode implements it. */
export interface NodeApi {
  health(): Reply
  promote(epochHint: number | undefined): Promise<Reply>
  read(key: string): Reply
  readonly region: string
  state(): Reply
  write(key: string, value: string): Promise<Reply>
}

export function nodeRequestHandler(node: NodeApi): RequestListener {
  const headers = {'x-rift-region': node.region}
  const reply = (res: ServerResponse, {body, status}: Reply): void => sendJson(res, status, body, headers)
  return (req, res) => {
    void handle(node, req).then(
      (result) => reply(res, result),
      (error: unknown) => reply(res, {body: {error: `internal error: ${(error as Error).message}`, region: node.region}, status: 500}),
    )
  }
}

async function handle(node: NodeApi, req: IncomingMessage): Promise<Reply> {
  const path = pathOf(req.url)
  const method = req.method ?? 'GET'
  const notAllowed = (allowed: string): Reply => ({body: {error: `${method} is not allowed on ${path}; use ${allowed}`}, status: 405})
  if (path.startsWith('/kv/')) {
    const key = kvKey(req.url)
    if (key === undefined) return {body: {error: 'the key in /kv/<key> is empty or not valid percent-encoding'}, status: 400}
    if (method === 'GET') return node.read(key)
    if (method !== 'PUT') return notAllowed('GET or PUT')
    const value = await readBody(req)
    if (value === undefined) return {body: {error: 'the value is larger than 1 MiB'}, status: 413}
    return node.write(key, value.toString('utf8'))
  }
  switch (path) {
    case '/health':
      return method === 'GET' ? node.health() : notAllowed('GET')
    case '/admin/state':
      return method === 'GET' ? node.state() : notAllowed('GET')
    case '/admin/promote': {
      if (method !== 'POST') return notAllowed('POST')
      const body = await readBody(req, 4096)
      return node.promote(epochFrom(body))
    }
    default:
      return {body: {error: `no such endpoint: ${path}`}, status: 404}
  }
}

/** The router sends {epoch}; anything else (an empty body from curl) means "one more than mine". */
function epochFrom(body: Buffer | undefined): number | undefined {
  try {
    const epoch = (JSON.parse(body?.toString('utf8') ?? '') as {epoch?: unknown}).epoch
    return Number.isSafeInteger(epoch) ? (epoch as number) : undefined
  } catch {
    return undefined
  }
}
