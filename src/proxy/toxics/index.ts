/**
 * The toxic registry: every type the API accepts, with its attributes (in serialisation order) and the Go
 * struct name used in decode error texts, plus the factory the data path uses. Types are case-sensitive.
 */
import type {ToxicTypeInfo} from '../types.js'
import {bandwidth} from './bandwidth.js'
import {corrupt} from './corrupt.js'
import {latency} from './latency.js'
import {limitData} from './limit-data.js'
import {noop} from './noop.js'
import {resetPeer} from './reset-peer.js'
import {slicer} from './slicer.js'
import {slowClose} from './slow-close.js'
import {timeout} from './timeout.js'
import type {Toxic, ToxicDefinition} from './toxic.js'

const definitions: Record<string, ToxicDefinition> = Object.assign(Object.create(null) as Record<string, ToxicDefinition>, {
  latency,
  bandwidth,
  slow_close: slowClose,
  timeout,
  reset_peer: resetPeer,
  slicer,
  limit_data: limitData,
  noop,
  corrupt,
})

/** Type name → attribute kinds and Go struct name. A null-prototype object: `TOXIC_TYPES['toString']` is undefined. */
export const TOXIC_TYPES: Readonly<Record<string, ToxicTypeInfo>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, ToxicTypeInfo>,
    Object.fromEntries(Object.entries(definitions).map(([type, definition]) => [type, definition.info])),
  ),
)

export function isToxicType(type: string): boolean {
  return Object.hasOwn(definitions, type)
}

/** Builds a toxic from decoded attributes (missing ones are 0). Throws `invalid toxic type` for unknown types. */
export function createToxic(type: string, attributes: Readonly<Record<string, number>>): Toxic {
  if (!isToxicType(type)) throw new Error('invalid toxic type')
  return definitions[type]!.create(attributes)
}

/** The attributes of `type` in serialisation order, each defaulting to 0, as Toxiproxy shows them. */
export function toxicAttributes(type: string, attributes: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const name of Object.keys(TOXIC_TYPES[type]?.attributes ?? {})) out[name] = attributes[name] ?? 0
  return out
}

export {END, INTERRUPT, DEADLINE, type Chunk, type Stub, type Toxic, type ToxicDefinition} from './toxic.js'
