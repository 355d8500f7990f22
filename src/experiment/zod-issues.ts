/**
 * zod's issues, rewritten for people editing a YAML file: each names the field, what was expected and what
 * was found, offers "did you mean", and for unions reports only the branch the user was writing. A step
 * `{fault: latency, ...}` with a bad duration gets one message about its duration, not seven about why it
 * is also not a wait, an action or an HTTP probe.
 */
import {distance} from 'fastest-levenshtein'
import type {z} from 'zod'

import {didYouMean} from '../util/suggest.js'
import {describeValue, withGuess, type IssueDraft, type PathSegment} from './issues.js'
import {
  acceptedKinds,
  allowedKeysAt,
  chooseBranch,
  defOf,
  describeKinds,
  isPlainObject,
  schemaAt,
  unionKeys,
  unwrap,
  valueAt,
  type TaggedUnion,
} from './schema-walk.js'
import {driverQualifiedName, duration, FAULT_KINDS, slosSchema} from './schema.js'

const MISSING = 'missing required field'

type Issue = z.core.$ZodIssue
/** The fields of zod issues this module reads, loosely: issue shapes differ by code. */
type LooseIssue = Issue & {
  discriminator?: string
  errors?: Issue[][]
  expected?: string
  format?: string
  inclusive?: boolean
  issues?: Issue[]
  keys?: string[]
  maximum?: number | bigint
  minimum?: number | bigint
  note?: string
  options?: unknown[]
  origin?: string
  values?: unknown[]
}

/**
 * @param schema the schema `value` was parsed with; `issues` paths are relative to it.
 * @param base where `value` sits in the document, prefixed to every path.
 */
export function translateZodIssues(
  issues: readonly Issue[],
  schema: unknown,
  value: unknown,
  base: readonly PathSegment[] = [],
): IssueDraft[] {
  const drafts = issues.flatMap((issue) => translateIssue(issue as LooseIssue, schema, value, base))
  // `titel:` yields "unknown key titel, did you mean title" and "missing title"; the first says it all.
  const guessed = new Set(
    drafts.flatMap((draft) => (draft.target === 'key' && draft.suggestion ? [JSON.stringify([...draft.path.slice(0, -1), draft.suggestion])] : [])),
  )
  return drafts.filter((draft) => !(draft.message.startsWith(MISSING) && guessed.has(JSON.stringify(draft.path))))
}

function translateIssue(issue: LooseIssue, schema: unknown, root: unknown, base: readonly PathSegment[]): IssueDraft[] {
  const relative = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))
  const path = [...base, ...relative]
  const value = valueAt(root, relative)
  const at = schemaAt(schema, root, relative)
  switch (issue.code) {
    case 'invalid_union':
      if (typeof issue.discriminator === 'string') return [unknownDiscriminator(path, value, issue)]
      return translateUnion(issue, schemaAt(schema, root, relative, true), value, path)
    case 'unrecognized_keys': {
      const union = schemaAt(schema, root, relative, true)
      const choice = chooseBranch(union, value)
      if (choice.kind === 'conflict') return [conflict(choice.union, choice.keys, path)]
      const allowed = allowedKeysAt(union, value, issue.keys ?? [])
      return (issue.keys ?? []).map((key) => unknownKey([...path, key], key, allowed))
    }
    case 'invalid_type':
      if (typeof value === 'number' && unwrap(schemaAt(schema, root, relative.slice(0, -1))) === slosSchema) {
        const expected = 'an objective such as "== 0" or "<= 10s", quoted'
        return [{expected, message: `expected ${expected}, got the number ${value} (write "== ${value}" with the comparison you mean)`, path}]
      }
      return [invalidType(issue, at, value, path)]
    case 'invalid_value':
      return [invalidValue(issue, value, path)]
    case 'too_small':
    case 'too_big':
      return [{message: withFound(sizeMessage(issue), value), path}]
    case 'invalid_format':
      return [{message: withFound(isDefault(issue.message) ? `expected a valid ${issue.format ?? 'value'}` : issue.message, value), path}]
    case 'invalid_key': {
      const key = String(relative.at(-1))
      const inner = translateZodIssues(issue.issues ?? [], undefined, key, [])
      const reason = inner.map((draft) => draft.message).join('; ')
      return [{message: `invalid key "${key}": ${reason}`, path, target: 'key'}]
    }
    case 'not_multiple_of':
      return [{message: withFound(`expected a multiple of ${String((issue as {divisor?: number}).divisor)}`, value), path}]
    case 'custom':
    case 'invalid_element':
      return [{message: withFound(issue.message, value), path}]
  }
}

/** zod's English defaults start like this; the schema's own messages are written for users and kept. */
function isDefault(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized key)/.test(message)
}

/** Appends what was found, unless the message already says it. */
function withFound(message: string, value: unknown): string {
  return /\bgot\b/.test(message) ? message : `${message}, got ${describeValue(value)}`
}

function translateUnion(issue: LooseIssue, union: unknown, value: unknown, path: PathSegment[]): IssueDraft[] {
  const options = (defOf(union)?.options as unknown[] | undefined) ?? []
  const errors = issue.errors ?? []
  const last = path.at(-1)
  if (value === undefined && typeof last === 'string') {
    const expected = describeKinds(options.flatMap((option) => [...acceptedKinds(option)]))
    return [{expected, message: `${MISSING} "${last}" (${expected})`, path}]
  }
  const choice = chooseBranch(union, value)
  if (choice.kind === 'untagged') return [untagged(choice.union, union, value, path)]
  if (choice.kind === 'conflict') return [conflict(choice.union, choice.keys, path)]
  if (choice.kind === 'chosen' && errors[choice.index]) {
    return translateZodIssues(errors[choice.index]!, options[choice.index], value, path)
  }
  const candidates = choice.kind === 'ambiguous' ? choice.candidates : []
  if (candidates.length === 0) {
    const kinds = options.flatMap((option) => [...acceptedKinds(option)])
    return [{expected: describeKinds(kinds), message: `expected ${describeKinds(kinds)}, got ${describeValue(value)}`, path}]
  }
  // Several branches take this kind of value: the one with the fewest complaints is the likeliest intent.
  const best = candidates.reduce((a, b) => ((errors[b]?.length ?? Infinity) < (errors[a]?.length ?? Infinity) ? b : a))
  return translateZodIssues(errors[best] ?? [], options[best], value, path)
}

/** A step, probe or tolerance with none of the keys that say which form it is. */
function untagged(union: TaggedUnion, schema: unknown, value: unknown, path: PathSegment[]): IssueDraft {
  const forms = union.keys.join(', ')
  const expected = `one of the keys ${forms}`
  if (!isPlainObject(value)) {
    return {expected, message: `expected ${union.noun}: a mapping with one of the keys ${forms}, got ${describeValue(value)}`, path}
  }
  const keys = Object.keys(value)
  // The typo is among the keys no form allows (`faultx`, not `to`); the closest to a form key wins.
  const known = unionKeys(schema)
  const typos = keys
    .filter((key) => !known.has(key))
    .flatMap((key) => {
      const guess = didYouMean(key, union.keys)
      return guess ? [{distance: distance(key, guess), guess, key}] : []
    })
    .sort((a, b) => a.distance - b.distance)
  const typo = typos[0]
  if (typo) {
    return {
      expected,
      message: withGuess(`${union.noun} needs one of the keys ${forms}; found "${typo.key}"`, typo.guess),
      path: [...path, typo.key],
      suggestion: typo.guess,
      target: 'key',
    }
  }
  const found = keys.length === 0 ? 'an empty mapping' : `only ${keys.map((key) => `"${key}"`).join(', ')}`
  return {expected, message: `${union.noun} needs one of the keys ${forms}; found ${found}`, path}
}

/** `fault:` and `action:` in one step: it cannot be both. */
function conflict(union: TaggedUnion, keys: string[], path: PathSegment[]): IssueDraft {
  const found = keys.map((key) => `"${key}"`).join(' and ')
  return {
    expected: `one of the keys ${union.keys.join(', ')}`,
    message: `${union.noun} takes exactly one of the keys ${union.keys.join(', ')}; found ${found}`,
    path: [...path, keys[1]!],
    target: 'key',
  }
}

function unknownKey(path: PathSegment[], key: string, allowed: string[]): IssueDraft {
  const guess = didYouMean(key, allowed)
  const expected = `one of: ${allowed.join(', ')}`
  const message = guess ? withGuess(`unknown key "${key}"`, guess) : `unknown key "${key}"; allowed here: ${allowed.join(', ')}`
  return {expected, message, path, target: 'key', ...(guess ? {suggestion: guess} : {})}
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  boolean: 'true or false',
  int: 'an integer',
  null: 'an empty value',
  number: 'a number',
  object: 'a mapping',
  record: 'a mapping',
  string: 'a string',
  tuple: 'a list',
}

function invalidType(issue: LooseIssue, schema: unknown, value: unknown, path: PathSegment[]): IssueDraft {
  const isDuration = unwrap(schema) === duration
  const expected = isDuration ? 'a duration like 500ms, 10s or 5m' : TYPE_NAMES[issue.expected ?? ''] ?? `a ${issue.expected ?? 'value'}`
  const last = path.at(-1)
  if (value === undefined && typeof last === 'string') {
    return {expected, message: `${MISSING} "${last}" (${expected})`, path}
  }
  const hint = isDuration && typeof value === 'number' && value >= 0 ? ` (write "${value}s" or "${value}ms")` : ''
  return {expected, message: `expected ${expected}, got ${describeValue(value)}${hint}`, path}
}

function invalidValue(issue: LooseIssue, value: unknown, path: PathSegment[]): IssueDraft {
  const values = issue.values ?? []
  const quoted = values.map((option) => JSON.stringify(option))
  const expected = values.length === 1 ? quoted[0]! : `one of ${quoted.join(', ')}`
  const last = path.at(-1)
  if (value === undefined && typeof last === 'string') {
    return {expected, message: `${MISSING} "${last}" (${expected})`, path}
  }
  const strings = values.filter((option): option is string => typeof option === 'string')
  // A single allowed value (`version: rift/v1`) is named by the message already, and is the suggestion.
  const guess = typeof value === 'string' && values.length > 1 ? didYouMean(value, strings) : undefined
  const suggestion = values.length === 1 && typeof values[0] === 'string' ? values[0] : guess
  return {
    expected,
    message: withGuess(`expected ${expected}, got ${describeValue(value)}`, guess),
    path,
    ...(suggestion === undefined ? {} : {suggestion}),
  }
}

/** `fault: region-outag`, or `fault: memory.cut-link` (a raw action written as a fault kind). */
function unknownDiscriminator(path: PathSegment[], value: unknown, issue: LooseIssue): IssueDraft {
  const key = issue.discriminator!
  const options = (issue.options ?? []).map(String)
  const expected = `one of: ${options.join(', ')}`
  if (value === undefined) return {expected, message: `${MISSING} "${key}" (${expected})`, path}
  const noun = key === 'fault' ? 'fault kind' : key
  if (typeof value !== 'string') return {expected, message: `expected a ${noun} (${expected}), got ${describeValue(value)}`, path}
  if (key === 'fault' && typeof value === 'string' && driverQualifiedName.safeParse(value).success) {
    return {
      expected,
      message: `unknown fault kind "${value}": raw driver actions go under action:, as in "action: ${value}"; fault kinds are ${FAULT_KINDS.join(', ')}`,
      path,
    }
  }
  const guess = typeof value === 'string' ? didYouMean(value, options) : undefined
  const message = guess
    ? withGuess(`unknown ${noun} ${describeValue(value)}`, guess)
    : `unknown ${noun} ${describeValue(value)}; expected ${expected}`
  return {expected, message, path, ...(guess ? {suggestion: guess} : {})}
}

function sizeMessage(issue: LooseIssue): string {
  if (!isDefault(issue.message)) return issue.message
  const small = issue.code === 'too_small'
  const bound = Number(small ? issue.minimum : issue.maximum)
  const inclusive = issue.inclusive !== false
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (small && bound === 1) return 'expected at least one item'
    return `expected ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`
  }
  if (issue.origin === 'string') {
    if (small && bound === 1) return 'expected a non-empty string'
    return `expected ${small ? 'at least' : 'at most'} ${bound} characters`
  }
  const relation = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than'
  return `expected a number ${relation} ${bound}`
}
