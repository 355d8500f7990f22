/**
 * From text to a plain value plus a way back from a field path to its line and column. YAML and JSON go
 * through the same parser (JSON is YAML), so both get positions.
 *
 * Hostile or broken input is refused before it can hurt: nesting is measured on the parser's token tree
 * (iterative) before the recursive composer sees it, because 10,000 `{` crash Node outright with an
 * out-of-memory abort that no try/catch can stop; aliases are capped against "billion laughs"; an alias to
 * its own ancestor (a cycle) and an alias to an undefined anchor are reported rather than followed.
 */
import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  type CST,
  type Document,
  type Node,
  type Pair,
  type ParsedNode,
} from 'yaml'

import {formatPath, type IssueDraft, type PathSegment, type ValidationIssue} from './issues.js'

/** Experiments nest about eight levels deep; sixty-four leaves room for driver params and stops abuse. */
export const MAX_NESTING_DEPTH = 64
/** yaml's own default, made explicit: a file that expands more aliases than this is refused. */
export const MAX_ALIAS_COUNT = 100

export interface Position {
  column: number
  line: number
}

export interface YamlSource {
  /** The document as plain data: mappings are objects, sequences arrays. `null` for an empty file. */
  value: unknown
  /** Where a path is in the text: at the key or the value, or at the nearest ancestor that exists. */
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): Position
  /** Problems that do not stop validation, such as duplicate keys (the last one wins, as in YAML). */
  issues: ValidationIssue[]
}

export type YamlParse = {ok: true; source: YamlSource} | {issues: ValidationIssue[]; ok: false}

const OPTIONS = {
  // Merge keys (`<<: *defaults`) are YAML 1.1, but common enough in CI files that refusing them would surprise.
  merge: true,
  prettyErrors: false,
  // Reported with their paths by `walk` below, so yaml need not.
  uniqueKeys: false,
  // yaml otherwise prints warnings (say, about non-string keys) on stderr, which --json must keep clean.
  logLevel: 'error',
} as const

export function parseYaml(text: string): YamlParse {
  const lines = new LineCounter()
  const position = (offset: number): Position => {
    const {line, col} = lines.linePos(offset)
    return {column: col, line}
  }
  const issueAt = (offset: number, message: string, path: readonly PathSegment[] = []): ValidationIssue => ({
    ...position(offset),
    message,
    path: formatPath(path),
  })

  const tokens = Array.from(new Parser(lines.addNewLine).parse(text))
  const deep = findTooDeep(tokens)
  if (deep !== undefined) {
    return {
      issues: [issueAt(deep, `nested more than ${MAX_NESTING_DEPTH} levels deep; an experiment needs far fewer, so the file is refused`)],
      ok: false,
    }
  }
  const documents = Array.from(new Composer(OPTIONS).compose(tokens, true, text.length))
  const second = tokens.filter((token) => token.type === 'document')[1]
  if (documents.length > 1 && second) {
    return {issues: [issueAt(second.offset, 'a second YAML document starts here (after ---); an experiment file holds one document')], ok: false}
  }
  const document = documents[0]!
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const hint = error.code === 'MISSING_CHAR' && /quote/.test(error.message) ? quoteHint(tokens, error.pos[0], position) : ''
      return issueAt(error.pos[0], syntaxMessage(error.code, error.message) + hint)
    })
    return {issues, ok: false}
  }

  const walked = walk(document, position)
  if (walked.fatal.length > 0) return {issues: walked.fatal, ok: false}
  let value: unknown
  try {
    value = document.toJS({maxAliasCount: MAX_ALIAS_COUNT})
  } catch (error) {
    return {issues: [{...position(0), message: toJsMessage(error), path: ''}], ok: false}
  }
  const locate = (path: readonly PathSegment[], target: 'key' | 'value' = 'value') =>
    position(locateOffset(document, path, target))
  return {ok: true, source: {issues: walked.soft, locate, value}}
}

function syntaxMessage(code: string, message: string): string {
  if (code === 'RESOURCE_EXHAUSTION') return 'nested too deeply to read; the file is refused'
  const hints: Record<string, string> = {
    BAD_INDENT: ' (check the indentation of this line against the lines above)',
    TAB_AS_INDENT: ' (indent with spaces)',
  }
  return `syntax error: ${message}${hints[code] ?? ''}`
}

function toJsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  if (/alias count/i.test(message)) {
    return `the file's aliases (*name) expand to more than ${MAX_ALIAS_COUNT} nodes, which looks like a "billion laughs" file; it is refused`
  }
  if (error instanceof RangeError) return 'nested too deeply to read; the file is refused'
  return `cannot read the document: ${message}`
}

/** Every token of the parser's tree with its nesting depth, without recursion (the tree may be 10,000 deep). */
function* cstTokens(tokens: readonly CST.Token[]): Generator<[CST.Token, number]> {
  const stack: [CST.Token | null | undefined, number][] = tokens.map((token) => [token, 0])
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!
    if (!token) continue
    yield [token, depth]
    if (token.type === 'document') stack.push([token.value, depth])
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items) {
        if ('key' in item) stack.push([item.key, depth + 1])
        stack.push([item.value, depth + 1])
      }
    }
  }
}

/** The offset of the first collection nested deeper than the limit. */
function findTooDeep(tokens: readonly CST.Token[]): number | undefined {
  for (const [token, depth] of cstTokens(tokens)) {
    const collection = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection'
    if (collection && depth + 1 > MAX_NESTING_DEPTH) return token.offset
  }
  return undefined
}

/** yaml reports an unclosed quote where the file ends; people need to know where the string began. */
function quoteHint(tokens: readonly CST.Token[], errorOffset: number, position: (offset: number) => Position): string {
  let start: number | undefined
  for (const [token] of cstTokens(tokens)) {
    if (token.type !== 'double-quoted-scalar' && token.type !== 'single-quoted-scalar') continue
    const quote = token.source[0]!
    const closed = token.source.length > 1 && token.source.trimEnd().endsWith(quote)
    if (!closed && token.offset < errorOffset && (start === undefined || token.offset > start)) start = token.offset
  }
  if (start === undefined) return ''
  const {column, line} = position(start)
  return ` (the string that starts on line ${line}, column ${column} is never closed)`
}

interface Walked {
  /** Problems after which the value cannot be trusted (cyclic or dangling aliases, keys that are not text). */
  fatal: ValidationIssue[]
  soft: ValidationIssue[]
}

interface Frame {
  node: unknown
  parent: Frame | undefined
  path: PathSegment[]
}

/** One pass over the document tree (iterative; its depth is already bounded) for what yaml does not report. */
function walk(document: Document.Parsed, position: (offset: number) => Position): Walked {
  const fatal: ValidationIssue[] = []
  const soft: ValidationIssue[] = []
  const at = (node: {range?: unknown} | null | undefined, path: PathSegment[], message: string) => ({
    ...position(offsetOf(node)),
    message,
    path: formatPath(path),
  })
  const stack: Frame[] = [{node: document.contents, parent: undefined, path: []}]
  while (stack.length > 0) {
    const frame = stack.pop()!
    const {node, path} = frame
    if (isAlias(node)) {
      const target = node.resolve(document)
      if (!target) fatal.push(at(node, path, `alias *${node.source} refers to no anchor: define &${node.source} before it`))
      else if (isAncestor(frame.parent, target)) fatal.push(at(node, path, `alias *${node.source} refers to a node that contains it, which would never end`))
    } else if (isMap(node)) {
      const seen = new Map<string, Pair>()
      for (const pair of node.items) {
        if (isMergeKey(pair)) {
          stack.push({node: pair.value, parent: frame, path})
          continue
        }
        if (!isScalar(pair.key) && pair.key !== null) {
          fatal.push(at(pair.key, path, 'a key must be plain text, not a list or a mapping'))
          continue
        }
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key)
        const first = seen.get(key)
        if (first) {
          const line = position(offsetOf(first.key as Node | null)).line
          soft.push(at(pair.key, [...path, key], `duplicate key "${key}": it is already set on line ${line} (only the last one counts)`))
        } else seen.set(key, pair)
        stack.push({node: pair.value, parent: frame, path: [...path, key]})
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => stack.push({node: item, parent: frame, path: [...path, index]}))
    }
  }
  return {fatal, soft}
}

function isAncestor(frame: Frame | undefined, node: unknown): boolean {
  for (let current = frame; current; current = current.parent) if (current.node === node) return true
  return false
}

function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && typeof pair.key.value === 'symbol'
}

function offsetOf(node: {range?: unknown} | null | undefined): number {
  const range = node?.range as ParsedNode['range'] | undefined
  return range?.[0] ?? 0
}

/** Finds a mapping's pair for a key, looking through merge keys (`<<: *defaults`) when it is not set directly. */
function findPair(document: Document.Parsed, map: unknown, key: string, depth = 0): Pair | undefined {
  if (!isMap(map) || depth > 8) return undefined
  const direct = map.items.find((pair) => !isMergeKey(pair) && isScalar(pair.key) && String(pair.key.value) === key)
  if (direct) return direct
  for (const pair of map.items) {
    if (!isMergeKey(pair)) continue
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value]
    for (const source of sources) {
      const found = findPair(document, isAlias(source) ? source.resolve(document) : source, key, depth + 1)
      if (found) return found
    }
  }
  return undefined
}

function locateOffset(document: Document.Parsed, path: readonly PathSegment[], target: 'key' | 'value'): number {
  let node: unknown = document.contents
  let offset = offsetOf(node as Node | null)
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(document)
    const last = index === path.length - 1
    if (isMap(node)) {
      const pair = findPair(document, node, String(segment))
      if (!pair) return offset
      const valueNode = pair.value as Node | null
      // A key written without a value (`title:`) is pointed at by its key.
      offset = offsetOf((last && target === 'key') || !valueNode?.range ? (pair.key as Node) : valueNode)
      node = valueNode
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment]
      offset = isPair(node) ? offsetOf(node.key as Node) : offsetOf(node as Node)
    } else return offset
  }
  return offset
}

/** For tests and tools: the located form of a draft. */
export function locateDraft(source: YamlSource, draft: IssueDraft): ValidationIssue {
  const {column, line} = source.locate(draft.path, draft.target)
  return {
    column,
    line,
    message: draft.message,
    path: formatPath(draft.path),
    ...(draft.expected === undefined ? {} : {expected: draft.expected}),
    ...(draft.suggestion === undefined ? {} : {suggestion: draft.suggestion}),
  }
}
