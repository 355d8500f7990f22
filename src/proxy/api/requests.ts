/**
 * Request bodies, decoded into the same Go types Toxiproxy 2.12 uses so that every body gets the same
 * answer and the same error text (spec §1.1–§1.7). `lease` is rift's additive field; Toxiproxy ignores it.
 */
import {
  decodeInto,
  GoJsonError,
  goBool,
  goFloat32,
  goInt64,
  goString,
  goStruct,
  readFirstValue,
  type GoRecord,
  type GoStruct,
  type GoType,
  type JsonNode,
} from '../go-json.js'
import type {AttributeKind, ToxicTypeInfo} from '../types.js'
import {badRequest} from './errors.js'

const zerologLogger: GoType = {kind: 'ptr', elem: goStruct('zerolog.Logger', {})}

/** toxiproxy.Proxy, as POST /proxies and POST /proxies/{proxy} decode it. */
const PROXY = goStruct('toxiproxy.Proxy', {
  name: goString,
  listen: goString,
  upstream: goString,
  enabled: goBool,
  Logger: zerologLogger,
  lease: goString,
})

/** The element of POST /populate's `[]struct { toxiproxy.Proxy; Enabled *bool }`: `enabled` is nullable. */
const POPULATE_ENTRY = goStruct(
  'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }',
  {name: goString, listen: goString, upstream: goString, enabled: {kind: 'ptr', elem: goBool}, Logger: zerologLogger},
  '',
)
const POPULATE: GoType = {kind: 'slice', elem: POPULATE_ENTRY}

/** toxics.ToxicWrapper with a NoopToxic inside, the first of the two decodes of a new toxic. */
const TOXIC_WRAPPER = goStruct('toxics.ToxicWrapper', {
  attributes: goStruct('toxics.NoopToxic', {}),
  name: goString,
  type: goString,
  stream: goString,
  toxicity: goFloat32,
  lease: goString,
})

const LEASE_REQUEST = goStruct('rift.LeaseRequest', {ttl_ms: goInt64, name: goString})

const KINDS: Record<AttributeKind, GoType> = {
  int64: goInt64,
  int: {kind: 'int', name: 'int'},
  float64: {kind: 'float', name: 'float64'},
}

/** The typed struct of a toxic type, e.g. toxics.LatencyToxic {latency int64; jitter int64}. */
function attributesType(info: ToxicTypeInfo): GoStruct {
  return goStruct(
    `toxics.${info.goName}`,
    Object.fromEntries(Object.entries(info.attributes).map(([name, kind]) => [name, KINDS[kind]])),
  )
}

/** Syntax errors, and the first type error, are 400 `bad request body: …`. */
function firstValue(body: Uint8Array): JsonNode {
  try {
    return readFirstValue(body)
  } catch (error) {
    if (error instanceof GoJsonError) throw badRequest(error.message, error.offset)
    throw error
  }
}

function decodeOrThrow<T extends GoRecord | GoRecord[] | undefined>(node: JsonNode, type: GoType, current: T): T {
  const {error, value} = decodeInto(node, type, current)
  if (error !== undefined) throw badRequest(error.message, error.offset)
  return value
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

export interface ProxyInput {
  enabled: boolean
  /** rift's extension: the lease a disable is held under. */
  lease: string | undefined
  listen: string
  name: string
  upstream: string
}

/** POST /proxies: decoded over `{enabled: true}`. */
export function decodeProxyCreate(body: Uint8Array): ProxyInput {
  const value = decodeOrThrow(firstValue(body), PROXY, {name: '', listen: '', upstream: '', enabled: true, lease: ''})
  return {
    enabled: value.enabled === true,
    lease: optionalString(value.lease),
    listen: String(value.listen),
    name: String(value.name),
    upstream: String(value.upstream),
  }
}

/** POST/PATCH /proxies/{proxy}: decoded over the proxy's current listen, upstream and enabled. */
export function decodeProxyUpdate(body: Uint8Array, current: {enabled: boolean; listen: string; upstream: string}): Omit<ProxyInput, 'name'> {
  const value = decodeOrThrow(firstValue(body), PROXY, {name: '', ...current, lease: ''})
  return {enabled: value.enabled === true, lease: optionalString(value.lease), listen: String(value.listen), upstream: String(value.upstream)}
}

export interface PopulateEntry {
  enabled: boolean | undefined
  listen: string
  name: string
  upstream: string
}

/** POST /populate: a JSON array (or null: nothing). Errors give the status and `proxies: null`. */
export function decodePopulate(body: Uint8Array): PopulateEntry[] {
  const entries = decodeOrThrow<GoRecord[] | undefined>(firstValue(body), POPULATE, []) ?? []
  return entries.map((entry) => ({
    enabled: typeof entry.enabled === 'boolean' ? entry.enabled : undefined,
    listen: text(entry.listen),
    name: text(entry.name),
    upstream: text(entry.upstream),
  }))
}

export interface ToxicInput {
  lease: string | undefined
  name: string
  stream: string
  toxicity: number
  type: string
}

/** The first decode of POST /proxies/{proxy}/toxics: defaults `{stream: "downstream", toxicity: 1}`. */
export function decodeToxicCreate(body: Uint8Array): {input: ToxicInput; node: JsonNode} {
  const node = firstValue(body)
  const value = decodeOrThrow(node, TOXIC_WRAPPER, {attributes: {}, name: '', type: '', stream: 'downstream', toxicity: 1, lease: ''})
  return {
    input: {
      lease: optionalString(value.lease),
      name: String(value.name),
      stream: String(value.stream),
      toxicity: Number(value.toxicity),
      type: String(value.type),
    },
    node,
  }
}

/** The second decode, once the type is known: `attributes` into the typed struct, zeros by default. */
export function decodeToxicAttributes(node: JsonNode, info: ToxicTypeInfo): Record<string, number> {
  const type = goStruct('struct { Attributes interface {} "json:\\"attributes\\"" }', {attributes: attributesType(info)}, '')
  const zeros = Object.fromEntries(Object.keys(info.attributes).map((name) => [name, 0]))
  return decodeOrThrow(node, type, {attributes: zeros}).attributes
}

export interface ToxicUpdate {
  attributes: Record<string, number>
  /** Set when the body failed to decode. Go has already stored the attributes decoded before the error. */
  error: ReturnType<typeof badRequest> | undefined
  toxicity: number
}

/**
 * POST/PATCH /proxies/{proxy}/toxics/{toxic}: attributes merge into the current ones and `toxicity` is kept
 * when absent. Not atomic, as in Go: on a type error the attributes decoded so far are returned with it,
 * while `toxicity` stays as it was. Syntax errors throw (nothing changes).
 */
export function decodeToxicUpdate(body: Uint8Array, info: ToxicTypeInfo, current: {attributes: Record<string, number>; toxicity: number}): ToxicUpdate {
  const type = goStruct(
    'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }',
    {attributes: attributesType(info), toxicity: goFloat32},
    '',
  )
  const {error, value} = decodeInto(firstValue(body), type, {attributes: {...current.attributes}, toxicity: current.toxicity})
  const attributes = value.attributes as Record<string, number>
  if (error !== undefined) return {attributes, error: badRequest(error.message, error.offset), toxicity: current.toxicity}
  return {attributes, error: undefined, toxicity: Number(value.toxicity)}
}

export interface LeaseInput {
  name: string | undefined
  ttlMs: number | undefined
}

/** POST /leases and POST /leases/{id}: `{"ttl_ms": N, "name"?: "…"}`; an empty body is allowed on renew. */
export function decodeLease(body: Uint8Array, {emptyOk}: {emptyOk: boolean}): LeaseInput {
  if (emptyOk && body.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d)) {
    return {name: undefined, ttlMs: undefined}
  }
  const value = decodeOrThrow(firstValue(body), LEASE_REQUEST, {ttl_ms: undefined, name: ''})
  return {name: optionalString(value.name), ttlMs: typeof value.ttl_ms === 'number' ? value.ttl_ms : undefined}
}
