/**
 * Reading a zod schema alongside a document: which schema governs the value at a path, which keys a
 * strictObject allows there, and which branch of a union a value was meant to be. Messages need all three
 * ("did you mean" among the allowed keys; the issues of the branch the user meant, not of all seven).
 *
 * Works on `_zod.def`, which every zod 4 schema has, rather than `instanceof`, so schemas built by a
 * plugin's own copy of zod are understood too.
 */
import {methodStepSchema, PROBE_KEYS, probeSchema, STEP_KEYS, toleranceSchema} from './schema.js'
import type {PathSegment} from './issues.js'

interface Def {
  [key: string]: unknown
  type: string
}

export function defOf(schema: unknown): Def | undefined {
  return (schema as {_zod?: {def?: Def}} | undefined)?._zod?.def
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch'])

/** Strips optional/default/nullable/pipe/lazy wrappers; the schema that decides what a value must be. */
export function unwrap(schema: unknown): unknown {
  let current = schema
  for (let guard = 0; guard < 32; guard++) {
    const def = defOf(current)
    if (!def) return current
    if (WRAPPERS.has(def.type)) current = def.innerType
    else if (def.type === 'pipe') current = def.in // validation reads the input side
    else if (def.type === 'lazy') current = (def.getter as () => unknown)()
    else return current
  }
  return current
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment]
    else if (isPlainObject(current) && Object.hasOwn(current, String(segment))) current = current[String(segment)]
    else return undefined
  }
  return current
}

/** The keys an object schema allows (its shape), or undefined when it is not an object schema. */
export function objectKeys(schema: unknown): string[] | undefined {
  const def = defOf(unwrap(schema))
  return def?.type === 'object' ? Object.keys(def.shape as object) : undefined
}

/** Every key some branch of a union allows (through nested unions too). */
export function unionKeys(schema: unknown, depth = 0): Set<string> {
  const def = defOf(unwrap(schema))
  if (!def || depth > 8) return new Set()
  if (def.type === 'object') return new Set(Object.keys(def.shape as object))
  if (def.type !== 'union') return new Set()
  return new Set((def.options as unknown[]).flatMap((option) => [...unionKeys(option, depth + 1)]))
}

/**
 * The keys allowed where zod found unknown ones. zod may report a union's unknown keys from the one branch
 * it judged closest, without saying which: that is the branch that allows every other key the value has.
 */
export function allowedKeysAt(schema: unknown, value: unknown, unknown: readonly string[]): string[] {
  const def = defOf(schema)
  if (def?.type !== 'union') return objectKeys(schema) ?? []
  const present = isPlainObject(value) ? Object.keys(value).filter((key) => !unknown.includes(key)) : []
  for (const option of def.options as unknown[]) {
    const resolved = defOf(unwrap(option))?.type === 'union' ? resolveUnion(unwrap(option), value) : option
    const keys = objectKeys(resolved)
    if (keys && present.every((key) => keys.includes(key))) return keys
  }
  return objectKeys(resolveUnion(schema, value)) ?? []
}

/** Unions whose branches are told apart by which key a mapping has: `wait:`, `fault:`, `http:`, … */
export interface TaggedUnion {
  keys: readonly string[]
  /** `a method step`, for messages. */
  noun: string
}

const TOLERANCE_KEYS = ((defOf(toleranceSchema)?.options as unknown[]) ?? []).map((option) => objectKeys(option)![0]!)

export const TAGGED_UNIONS = new Map<unknown, TaggedUnion>([
  [methodStepSchema, {keys: STEP_KEYS, noun: 'a method step'}],
  [probeSchema, {keys: PROBE_KEYS, noun: 'a probe'}],
  [toleranceSchema, {keys: TOLERANCE_KEYS, noun: 'a tolerance'}],
])

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' | 'undefined' | 'other'

export function kindOf(value: unknown): ValueKind {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (isPlainObject(value)) return 'object'
  const type = typeof value
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined') return type
  return type === 'bigint' ? 'number' : 'other'
}

const ANY_KIND = new Set<ValueKind>(['string', 'number', 'boolean', 'null', 'array', 'object', 'other'])

/** Which kinds of value a schema can accept at all; used to pick the union branch a value was aimed at. */
export function acceptedKinds(schema: unknown, depth = 0): Set<ValueKind> {
  const def = defOf(schema)
  if (!def || depth > 16) return ANY_KIND
  const kinds = (...list: ValueKind[]) => new Set(list)
  switch (def.type) {
    case 'string':
    case 'template_literal':
      return kinds('string')
    case 'number':
    case 'int':
    case 'bigint':
      return kinds('number')
    case 'boolean':
      return kinds('boolean')
    case 'null':
      return kinds('null')
    case 'array':
    case 'tuple':
    case 'set':
      return kinds('array')
    case 'object':
    case 'record':
    case 'map':
      return kinds('object')
    case 'literal':
      return new Set((def.values as unknown[]).map(kindOf))
    case 'enum':
      return new Set(Object.values(def.entries as object).map(kindOf))
    case 'nullable':
      return new Set([...acceptedKinds(def.innerType, depth + 1), 'null'])
    case 'union':
      return new Set((def.options as unknown[]).flatMap((option) => [...acceptedKinds(option, depth + 1)]))
    default: {
      const inner = unwrap(schema)
      return inner === schema ? ANY_KIND : acceptedKinds(inner, depth + 1)
    }
  }
}

/** The literal values a discriminated-union option has for its discriminator key. */
function discriminatorValues(option: unknown, key: string): unknown[] {
  const shape = defOf(unwrap(option))?.shape as Record<string, unknown> | undefined
  const def = defOf(unwrap(shape?.[key]))
  if (def?.type === 'literal') return def.values as unknown[]
  if (def?.type === 'enum') return Object.values(def.entries as object)
  return []
}

export type BranchChoice =
  | {index: number; kind: 'chosen'}
  /** A tagged union whose value has several tag keys (`fault:` and `action:` in one step). */
  | {keys: string[]; kind: 'conflict'; union: TaggedUnion}
  /** A tagged union whose value has none of the tag keys. */
  | {kind: 'untagged'; union: TaggedUnion}
  /** Several branches accept this kind of value, or none do; the caller decides from the issues. */
  | {candidates: number[]; kind: 'ambiguous'}

/** Which branch of a union the value was meant for: by tag key, by discriminator, or by kind of value. */
export function chooseBranch(union: unknown, value: unknown): BranchChoice {
  const def = defOf(union)
  const options = (def?.options as unknown[] | undefined) ?? []
  const tagged = TAGGED_UNIONS.get(union)
  if (tagged) {
    const present = isPlainObject(value) ? tagged.keys.filter((key) => Object.hasOwn(value, key)) : []
    if (present.length > 1) return {keys: present, kind: 'conflict', union: tagged}
    const index = present.length === 1 ? tagged.keys.indexOf(present[0]!) : -1
    return index === -1 ? {kind: 'untagged', union: tagged} : {index, kind: 'chosen'}
  }
  if (typeof def?.discriminator === 'string' && isPlainObject(value)) {
    const key = def.discriminator
    const index = options.findIndex((option) => discriminatorValues(option, key).includes(value[key]))
    if (index !== -1) return {index, kind: 'chosen'}
  }
  const kind = kindOf(value)
  const candidates = options.flatMap((option, index) => (acceptedKinds(option).has(kind) ? [index] : []))
  return candidates.length === 1 ? {index: candidates[0]!, kind: 'chosen'} : {candidates, kind: 'ambiguous'}
}

/**
 * The schema that governs the value at `path` (unwrapped), or undefined when the path leaves the schema.
 * A union at the end of the path is resolved to the value's branch unless `keepUnion` asks for the union.
 */
export function schemaAt(schema: unknown, value: unknown, path: readonly PathSegment[], keepUnion = false): unknown {
  let current = unwrap(schema)
  let currentValue = value
  for (const segment of path) {
    current = resolveUnion(current, currentValue)
    const def = defOf(current)
    if (!def) return undefined
    switch (def.type) {
      case 'object':
        current = (def.shape as Record<string, unknown>)[String(segment)]
        break
      case 'array':
        current = def.element
        break
      case 'record':
        current = def.valueType
        break
      case 'tuple':
        current = (def.items as unknown[])[Number(segment)] ?? def.rest
        break
      default:
        return undefined
    }
    if (current === undefined || current === null) return undefined
    current = unwrap(current)
    currentValue = valueAt(currentValue, [segment])
  }
  return keepUnion ? current : resolveUnion(current, currentValue)
}

/** Picks the union branch for a value when descending; the first plausible one when it cannot be told. */
function resolveUnion(schema: unknown, value: unknown): unknown {
  let current = schema
  for (let guard = 0; guard < 8 && defOf(current)?.type === 'union'; guard++) {
    const options = defOf(current)!.options as unknown[]
    const choice = chooseBranch(current, value)
    let index: number | undefined
    if (choice.kind === 'chosen') index = choice.index
    else if (choice.kind === 'ambiguous') index = choice.candidates[0]
    else if (choice.kind === 'conflict') index = choice.union.keys.indexOf(choice.keys[0]!)
    if (index === undefined) return current
    current = unwrap(options[index])
  }
  return current
}

const KIND_NAMES: Record<ValueKind, string> = {
  array: 'a list',
  boolean: 'true or false',
  null: 'an empty value',
  number: 'a number',
  object: 'a mapping',
  other: 'a value',
  string: 'a string',
  undefined: 'nothing',
}

/** `a string or a mapping`: what a union accepts, for "expected …, got …" messages. */
export function describeKinds(kinds: Iterable<ValueKind>): string {
  const names = [...new Set([...kinds].filter((kind) => kind !== 'undefined' && kind !== 'other'))].map(
    (kind) => KIND_NAMES[kind],
  )
  if (names.length === 0) return 'a value'
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`
}
