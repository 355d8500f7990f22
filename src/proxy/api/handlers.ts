/**
 * The endpoint handlers: look up, call the collection, say what to reply. They return a Reply rather than
 * writing, so the router can apply Toxiproxy's 25 s TimeoutHandler (a late reply is dropped for a 503).
 */
import {compareGoStrings, goMarshal, goQuote} from '../go-json.js'
import {MAX_LEASE_TTL_MS, type LeaseView} from '../leases.js'
import type {ProxyCollection} from './collection.js'
import {ApiError, leaseNotFound, missingField, toApiError} from './errors.js'
import type {ProxyMetrics} from './metrics.js'
import {proxyJson, toxicJson, toxicsJson} from './render.js'
import {decodeLease} from './requests.js'

export interface Reply {
  body?: string
  headers?: Record<string, string>
  status: number
}

export interface ApiContext {
  collection: ProxyCollection
  metrics: ProxyMetrics | undefined
  version: string
}

export interface RequestInfo {
  body(): Promise<Buffer>
  method: string
  /** The decoded `{proxy}`, `{toxic}` or `{lease}` segments, in order. */
  params: string[]
}

export type Handler = (ctx: ApiContext, request: RequestInfo) => Promise<Reply>

const json = (status: number, body: string): Reply => ({body, headers: {'Content-Type': 'application/json'}, status})
const empty = (status: number): Reply => ({status})

/** Go's `http.Error` with Toxiproxy's ApiError JSON. */
export function errorReply(error: unknown): Reply {
  const api = toApiError(error)
  return {
    body: `${goMarshal({error: api.message, status: api.status})}\n`,
    headers: {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff'},
    status: api.status,
  }
}

const param = (request: RequestInfo, i: number): string => request.params[i] ?? ''

export const version: Handler = async (ctx) => ({
  // Built with fmt.Sprintf in Go: a space after the colon and a newline; not JSON-escaped.
  body: `{"version": "${ctx.version}"}\n`,
  headers: {'Content-Type': 'application/json;charset=utf-8'},
  status: 200,
})

export const listProxies: Handler = async (ctx) => {
  const proxies = ctx.collection.proxies().sort((a, b) => compareGoStrings(a.name, b.name))
  return json(200, `{${proxies.map((proxy) => `${goQuote(proxy.name)}:${proxyJson(proxy)}`).join(',')}}`)
}

export const createProxy: Handler = async (ctx, request) => json(201, proxyJson(await ctx.collection.createProxy(await request.body())))

export const populate: Handler = async (ctx, request) => {
  const {error, proxies} = await ctx.collection.populate(await request.body())
  const list = proxies === undefined ? 'null' : `[${proxies.map(proxyJson).join(',')}]`
  // Errors here are JSON bodies that also carry the proxies done so far (Go's embedded *ApiError).
  const head = error === undefined ? '' : `"error":${goQuote(error.message)},"status":${error.status},`
  return json(error?.status ?? 201, `{${head}"proxies":${list}}`)
}

export const getProxy: Handler = async (ctx, request) => json(200, proxyJson(ctx.collection.get(param(request, 0))))

export const updateProxy: Handler = async (ctx, request) => {
  const name = param(request, 0)
  ctx.collection.get(name) // 404 before the body is read, as in Go
  return json(200, proxyJson(await ctx.collection.updateProxy(name, await request.body())))
}

export const deleteProxy: Handler = async (ctx, request) => {
  await ctx.collection.removeProxy(param(request, 0))
  return empty(204)
}

export const listToxics: Handler = async (ctx, request) => json(200, toxicsJson(ctx.collection.toxics(param(request, 0))))

export const createToxic: Handler = async (ctx, request) => {
  ctx.collection.get(param(request, 0))
  return json(200, toxicJson(await ctx.collection.addToxic(param(request, 0), await request.body())))
}

export const getToxic: Handler = async (ctx, request) => json(200, toxicJson(ctx.collection.toxic(param(request, 0), param(request, 1))))

export const updateToxic: Handler = async (ctx, request) => {
  ctx.collection.toxic(param(request, 0), param(request, 1))
  return json(200, toxicJson(await ctx.collection.updateToxic(param(request, 0), param(request, 1), await request.body())))
}

export const deleteToxic: Handler = async (ctx, request) => {
  await ctx.collection.removeToxic(param(request, 0), param(request, 1))
  return empty(204)
}

export const reset: Handler = async (ctx) => {
  await ctx.collection.reset()
  return empty(204)
}

export const metrics: Handler = async (ctx) => {
  if (ctx.metrics === undefined) throw new ApiError(404, 'metrics are not enabled')
  const {body, contentType} = await ctx.metrics.render(ctx.collection.proxies())
  return {body, headers: {'Content-Type': contentType}, status: 200}
}

// --- rift's leases (an extension) ---------------------------------------------------------------------

function leaseJson(lease: LeaseView): string {
  return goMarshal(lease)
}

function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_LEASE_TTL_MS) {
    throw new ApiError(400, `ttl_ms must be an integer between 1 and ${MAX_LEASE_TTL_MS}`)
  }
  return ttlMs
}

export const listLeases: Handler = async (ctx) => json(200, goMarshal(ctx.collection.leases.list()))

export const createLease: Handler = async (ctx, request) => {
  const input = decodeLease(await request.body(), {emptyOk: false})
  if (input.ttlMs === undefined) throw missingField('ttl_ms')
  return json(201, leaseJson(ctx.collection.leases.create(checkTtl(input.ttlMs), input.name)))
}

export const getLease: Handler = async (ctx, request) => {
  const lease = ctx.collection.leases.get(param(request, 0))
  if (lease === undefined) throw leaseNotFound()
  return json(200, goMarshal(lease))
}

export const renewLease: Handler = async (ctx, request) => {
  const id = param(request, 0)
  if (!ctx.collection.leases.has(id)) throw leaseNotFound()
  const input = decodeLease(await request.body(), {emptyOk: true})
  const lease = ctx.collection.leases.renew(id, input.ttlMs === undefined ? undefined : checkTtl(input.ttlMs))
  if (lease === undefined) throw leaseNotFound()
  return json(200, leaseJson(lease))
}

export const releaseLease: Handler = async (ctx, request) => {
  if (!(await ctx.collection.leases.release(param(request, 0)))) throw leaseNotFound()
  return empty(204)
}
