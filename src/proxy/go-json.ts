/**
 * JSON as Toxiproxy's Go server reads and writes it (spec §1.1), so that every body a client can send gets
 * the same answer, down to the error text:
 *
 * - reading: `json.NewDecoder(body).Decode(&v)`. Only the first JSON value is read (trailing bytes are
 *   ignored); an empty body is `EOF`, a cut one `unexpected EOF`; syntax errors use the scanner's wording;
 *   keys match struct fields case-insensitively, unknown keys are ignored, the last duplicate wins (nested
 *   objects merge), `null` leaves a value alone, and a type error is remembered while decoding goes on,
 *   so the fields around it are still set (which is why Toxiproxy's toxic update is not atomic).
 * - writing: `json.Marshal`: compact, `<`, `>` and `&` escaped as `\u003c`…, floats in Go's shortest form.
 *
 * Numbers keep their source text, because Go tells `1` from `1.0` and `1e3` when the target is an integer.
 */

/** A parsed JSON value. Objects keep every entry in order, duplicates included; numbers keep their text. */
export type JsonNode =
  | {kind: 'object'; entries: Array<[string, JsonNode]>; offset: number}
  | {kind: 'array'; items: JsonNode[]; offset: number}
  | {kind: 'string'; value: string; offset: number}
  | {kind: 'number'; raw: string; offset: number}
  | {kind: 'bool'; value: boolean; offset: number}
  | {kind: 'null'; offset: number}

/** A body Go's decoder rejects. `message` is Go's error text, without Toxiproxy's `bad request body: `. */
export class GoJsonError extends Error {
  /** Byte offset into the body where the problem was found (for line:column in config files). */
  readonly offset: number

  constructor(message: string, offset: number) {
    super(message)
    this.name = 'GoJsonError'
    this.offset = offset
  }
}

const MAX_DEPTH = 10_000

// ---------------------------------------------------------------------------------------------------------
// Reading: the scanner

/**
 * Reads the first JSON value of `body` as Go's `json.Decoder` does and ignores whatever follows it.
 * Throws a GoJsonError with Go's text: `EOF`, `unexpected EOF`, `invalid character 'x' looking for …`.
 */
export function readFirstValue(body: Uint8Array | string): JsonNode {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  return new Scanner(bytes).value()
}

type Frame = {kind: 'object'; node: Extract<JsonNode, {kind: 'object'}>; key: string} | {kind: 'array'; node: Extract<JsonNode, {kind: 'array'}>}

class Scanner {
  #pos = 0
  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  value(): JsonNode {
    const stack: Frame[] = []
    const start = this.#skipSpace()
    if (start === -1) throw new GoJsonError('EOF', this.#pos)
    for (;;) {
      // Begin a value.
      let node: JsonNode | undefined
      const c = this.#peekNonSpace()
      const offset = this.#pos
      if (c === 0x7b /* { */) {
        this.#pos++
        if (stack.length >= MAX_DEPTH) throw this.#error(c, 'exceeded max depth')
        const obj: Extract<JsonNode, {kind: 'object'}> = {kind: 'object', entries: [], offset}
        const d = this.#peekNonSpace()
        if (d === 0x7d /* } */) {
          this.#pos++
          node = obj
        } else {
          stack.push({kind: 'object', node: obj, key: this.#objectKey(d)})
          continue
        }
      } else if (c === 0x5b /* [ */) {
        this.#pos++
        if (stack.length >= MAX_DEPTH) throw this.#error(c, 'exceeded max depth')
        const arr: Extract<JsonNode, {kind: 'array'}> = {kind: 'array', items: [], offset}
        if (this.#peekNonSpace() === 0x5d /* ] */) {
          this.#pos++
          node = arr
        } else {
          stack.push({kind: 'array', node: arr})
          continue
        }
      } else if (c === 0x22 /* " */) {
        node = {kind: 'string', value: this.#string(), offset}
      } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
        node = {kind: 'number', raw: this.#number(), offset}
      } else if (c === 0x74 /* t */) {
        this.#literal('true')
        node = {kind: 'bool', value: true, offset}
      } else if (c === 0x66 /* f */) {
        this.#literal('false')
        node = {kind: 'bool', value: false, offset}
      } else if (c === 0x6e /* n */) {
        this.#literal('null')
        node = {kind: 'null', offset}
      } else {
        throw this.#error(c, 'looking for beginning of value')
      }

      // End a value: attach it to its container, and close every container that ends here.
      for (;;) {
        const frame = stack.at(-1)
        if (frame === undefined) return node
        if (frame.kind === 'object') {
          frame.node.entries.push([frame.key, node])
          const d = this.#peekNonSpace()
          if (d === 0x2c /* , */) {
            this.#pos++
            frame.key = this.#objectKey(this.#peekNonSpace())
            break
          }
          if (d !== 0x7d /* } */) throw this.#error(d, 'after object key:value pair')
          this.#pos++
          stack.pop()
          node = frame.node
        } else {
          frame.node.items.push(node)
          const d = this.#peekNonSpace()
          if (d === 0x2c /* , */) {
            this.#pos++
            break
          }
          if (d !== 0x5d /* ] */) throw this.#error(d, 'after array element')
          this.#pos++
          stack.pop()
          node = frame.node
        }
      }
    }
  }

  /** At the first byte of an object key (spaces skipped); reads the key and its colon. */
  #objectKey(c: number): string {
    if (c !== 0x22) throw this.#error(c, 'looking for beginning of object key string')
    const key = this.#string()
    const d = this.#peekNonSpace()
    if (d !== 0x3a /* : */) throw this.#error(d, 'after object key')
    this.#pos++
    return key
  }

  /** Index of the next non-space byte, or -1 at the end. */
  #skipSpace(): number {
    const bytes = this.#bytes
    while (this.#pos < bytes.length) {
      const c = bytes[this.#pos]!
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return this.#pos
      this.#pos++
    }
    return -1
  }

  /** The next non-space byte without consuming it; the end of input inside a value is `unexpected EOF`. */
  #peekNonSpace(): number {
    if (this.#skipSpace() === -1) throw new GoJsonError('unexpected EOF', this.#pos)
    return this.#bytes[this.#pos]!
  }

  #next(): number {
    if (this.#pos >= this.#bytes.length) throw new GoJsonError('unexpected EOF', this.#pos)
    return this.#bytes[this.#pos++]!
  }

  #error(c: number, context: string): GoJsonError {
    return new GoJsonError(`invalid character ${quoteChar(c)} ${context}`, this.#pos)
  }

  #literal(word: 'true' | 'false' | 'null'): void {
    this.#pos++
    for (let i = 1; i < word.length; i++) {
      const c = this.#next()
      if (c !== word.charCodeAt(i)) {
        this.#pos--
        throw this.#error(c, `in literal ${word} (expecting '${word[i]}')`)
      }
    }
  }

  /** Number grammar exactly as Go's scanner walks it; returns the source text. */
  #number(): string {
    const bytes = this.#bytes
    const start = this.#pos
    const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39
    const fail = (context: string): never => {
      if (this.#pos >= bytes.length) throw new GoJsonError('unexpected EOF', this.#pos)
      throw this.#error(bytes[this.#pos]!, context)
    }
    if (bytes[this.#pos] === 0x2d) {
      this.#pos++
      if (!isDigit(bytes[this.#pos])) fail('in numeric literal')
    }
    if (bytes[this.#pos] === 0x30) this.#pos++
    else while (isDigit(bytes[this.#pos])) this.#pos++
    if (bytes[this.#pos] === 0x2e /* . */) {
      this.#pos++
      if (!isDigit(bytes[this.#pos])) fail('after decimal point in numeric literal')
      while (isDigit(bytes[this.#pos])) this.#pos++
    }
    if (bytes[this.#pos] === 0x65 || bytes[this.#pos] === 0x45 /* e E */) {
      this.#pos++
      if (bytes[this.#pos] === 0x2b || bytes[this.#pos] === 0x2d) this.#pos++
      if (!isDigit(bytes[this.#pos])) fail('in exponent of numeric literal')
      while (isDigit(bytes[this.#pos])) this.#pos++
    }
    return Buffer.from(bytes.subarray(start, this.#pos)).toString('latin1')
  }

  /** At the opening quote; returns the unquoted text (Go's rules for bad surrogates: U+FFFD). */
  #string(): string {
    const bytes = this.#bytes
    this.#pos++
    const start = this.#pos
    let escaped = false
    for (;;) {
      const c = this.#next()
      if (c === 0x22) break
      if (c === 0x5c /* \ */) {
        escaped = true
        const e = this.#next()
        if (e === 0x75 /* u */) {
          for (let i = 0; i < 4; i++) {
            const h = this.#next()
            if (!isHex(h)) {
              this.#pos--
              throw this.#error(h, 'in \\u hexadecimal character escape')
            }
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          this.#pos--
          throw this.#error(e, 'in string escape code')
        }
      } else if (c < 0x20) {
        this.#pos--
        throw this.#error(c, 'in string literal')
      }
    }
    const raw = bytes.subarray(start, this.#pos - 1)
    return escaped ? unescapeString(raw) : Buffer.from(raw).toString('utf8')
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
}

const SIMPLE_ESCAPES: Record<string, string> = {'"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'}

/** The body of an already-validated string with escapes, as Go's `unquote` reads it. */
function unescapeString(raw: Uint8Array): string {
  const text = Buffer.from(raw).toString('utf8')
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch !== '\\') {
      out += ch
      continue
    }
    const e = text[i + 1]!
    if (e !== 'u') {
      out += SIMPLE_ESCAPES[e]
      i += 1
      continue
    }
    const unit = parseInt(text.slice(i + 2, i + 6), 16)
    i += 5
    if (unit >= 0xd800 && unit < 0xdc00) {
      // A high surrogate takes a following \uDC00–\uDFFF; otherwise it becomes U+FFFD and the next
      // escape is read on its own.
      if (text[i + 1] === '\\' && text[i + 2] === 'u') {
        const low = parseInt(text.slice(i + 3, i + 7), 16)
        if (low >= 0xdc00 && low < 0xe000) {
          out += String.fromCharCode(unit, low)
          i += 6
          continue
        }
      }
      out += '\ufffd'
    } else if (unit >= 0xdc00 && unit < 0xe000) {
      out += '\ufffd'
    } else {
      out += String.fromCharCode(unit)
    }
  }
  return out
}

/** Go's `quoteChar`: how a byte is shown in a syntax error. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`
  if (c === 0x22) return `'"'`
  return `'${quoteRune(c)}'`
}

/** `strconv.Quote(string(rune(c)))` without its quotes, for c in 0…255. */
function quoteRune(c: number): string {
  const shortEscapes: Record<number, string> = {7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\'}
  const short = shortEscapes[c]
  if (short !== undefined) return short
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `\\u00${c.toString(16)}`
  return String.fromCharCode(c)
}

// ---------------------------------------------------------------------------------------------------------
// Reading: decoding into Go types

/** The Go types the API decodes into, each with the name Go prints in `of type …`. */
export type GoType =
  | {kind: 'string'}
  | {kind: 'bool'}
  | {kind: 'int'; name: 'int' | 'int64'}
  | {kind: 'float'; name: 'float32' | 'float64'}
  /** `name` as `reflect.Type.String()` prints it; `structName` as `Name()` does ('' when anonymous). */
  | {kind: 'struct'; name: string; structName: string; fields: Record<string, GoType>}
  /** A pointer: `null` makes it nil (undefined); errors name the element type. */
  | {kind: 'ptr'; elem: GoType}
  | {kind: 'slice'; elem: GoType}

export type GoStruct = Extract<GoType, {kind: 'struct'}>

export const goString: GoType = {kind: 'string'}
export const goBool: GoType = {kind: 'bool'}
export const goInt64: GoType = {kind: 'int', name: 'int64'}
export const goFloat32: GoType = {kind: 'float', name: 'float32'}

export function goStruct(name: string, fields: Record<string, GoType>, structName = name.slice(name.lastIndexOf('.') + 1)): GoStruct {
  return {kind: 'struct', name, structName, fields}
}

export function typeName(type: GoType): string {
  switch (type.kind) {
    case 'string':
    case 'bool':
      return type.kind
    case 'int':
    case 'float':
    case 'struct':
      return type.name
    case 'ptr':
      return typeName(type.elem)
    case 'slice':
      return `[]${typeName(type.elem)}`
  }
}

export type GoValue = string | boolean | number | undefined | GoRecord | GoValue[]
export interface GoRecord {
  [field: string]: GoValue
}

/** What a decode produced: the value, and the first type error (Go keeps going after one). */
export interface Decoded<T> {
  error?: GoJsonError
  value: T
}

/**
 * Decodes `node` over `current` as `json.Unmarshal` would into a Go value of `type` that already holds
 * `current` (struct fields not in the JSON keep their values). Returns the new value and the first error.
 */
export function decodeInto<T extends GoValue>(node: JsonNode, type: GoType, current: T): Decoded<T> {
  const decoder = new Decoder()
  const value = decoder.decode(node, type, current) as T
  return decoder.error === undefined ? {value} : {error: decoder.error, value}
}

export function zeroValue(type: GoType): GoValue {
  switch (type.kind) {
    case 'string':
      return ''
    case 'bool':
      return false
    case 'int':
    case 'float':
      return 0
    case 'struct':
      return Object.fromEntries(Object.entries(type.fields).map(([name, field]) => [name, zeroValue(field)]))
    case 'ptr':
    case 'slice':
      return undefined
  }
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

class Decoder {
  error: GoJsonError | undefined
  /** Go's errorContext: the innermost struct being decoded and the JSON field names leading to it. */
  #struct: GoStruct | undefined
  #fields: string[] = []

  decode(node: JsonNode, type: GoType, current: GoValue): GoValue {
    if (node.kind === 'null') return type.kind === 'ptr' || type.kind === 'slice' ? undefined : current
    switch (type.kind) {
      case 'string':
        if (node.kind === 'string') return node.value
        return this.#mismatch(node, type, current)
      case 'bool':
        if (node.kind === 'bool') return node.value
        return this.#mismatch(node, type, current)
      case 'int': {
        if (node.kind !== 'number') return this.#mismatch(node, type, current)
        if (!/^-?\d+$/.test(node.raw)) return this.#mismatch(node, type, current, `number ${node.raw}`)
        const big = BigInt(node.raw)
        if (big < INT64_MIN || big > INT64_MAX) return this.#mismatch(node, type, current, `number ${node.raw}`)
        return Number(big)
      }
      case 'float': {
        if (node.kind !== 'number') return this.#mismatch(node, type, current)
        const value = type.name === 'float32' ? Math.fround(Number(node.raw)) : Number(node.raw)
        if (!Number.isFinite(value)) return this.#mismatch(node, type, current, `number ${node.raw}`)
        return value
      }
      case 'ptr':
        return this.decode(node, type.elem, current ?? zeroValue(type.elem))
      case 'slice': {
        if (node.kind !== 'array') return this.#mismatch(node, type, current)
        return node.items.map((item) => this.decode(item, type.elem, zeroValue(type.elem)))
      }
      case 'struct':
        if (node.kind !== 'object') return this.#mismatch(node, type, current)
        return this.#object(node, type, (current ?? zeroValue(type)) as GoRecord)
    }
  }

  #object(node: Extract<JsonNode, {kind: 'object'}>, type: GoStruct, current: GoRecord): GoRecord {
    const target: GoRecord = {...current}
    const names = Object.keys(type.fields)
    for (const [key, value] of node.entries) {
      const field = names.find((name) => name === key) ?? names.find((name) => foldName(name) === foldName(key))
      if (field === undefined) continue
      const savedStruct = this.#struct
      const depth = this.#fields.length
      this.#struct = type
      this.#fields.push(field)
      target[field] = this.decode(value, type.fields[field]!, target[field])
      this.#struct = savedStruct
      this.#fields.length = depth
    }
    return target
  }

  #mismatch(node: JsonNode, type: GoType, current: GoValue, what: string = node.kind): GoValue {
    if (this.error === undefined) {
      const into =
        this.#struct !== undefined ? `Go struct field ${this.#struct.structName}.${this.#fields.join('.')}` : 'Go value'
      this.error = new GoJsonError(`json: cannot unmarshal ${what} into ${into} of type ${typeName(type)}`, node.offset)
    }
    return current
  }
}

/** Go's case folding for field names: ASCII upper-cased, and K (Kelvin) and ſ (long s) match k and s. */
function foldName(name: string): string {
  let out = ''
  for (const ch of name) out += ch.charCodeAt(0) < 0x80 ? ch.toUpperCase() : ch.toLowerCase().toUpperCase()
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** A Go string literal as `json.Marshal` writes it, HTML-safe. */
export function goQuote(text: string): string {
  let out = '"'
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    let escape: string | undefined
    if (c < 0x20) escape = CONTROL_ESCAPES[c] ?? `\\u00${c.toString(16).padStart(2, '0')}`
    else if (c === 0x22) escape = '\\"'
    else if (c === 0x5c) escape = '\\\\'
    else if (c === 0x3c) escape = '\\u003c'
    else if (c === 0x3e) escape = '\\u003e'
    else if (c === 0x26) escape = '\\u0026'
    else if (c === 0x2028) escape = '\\u2028'
    else if (c === 0x2029) escape = '\\u2029'
    else if (c >= 0xd800 && c < 0xe000) {
      const low = text.charCodeAt(i + 1)
      if (c < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
        i++
        continue
      }
      escape = '\\ufffd'
    }
    if (escape !== undefined) {
      out += text.slice(start, i) + escape
      start = i + 1
    }
  }
  return out + text.slice(start) + '"'
}

const CONTROL_ESCAPES: Record<number, string> = {8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r'}

/**
 * A float64 as Go's encoder writes it: the shortest text that reads back, plain decimals between 1e-6 and
 * 1e21, exponents outside (`1e-7`, `1e+21`). JavaScript's own number formatting has the same thresholds.
 */
export function formatFloat64(value: number): string {
  if (Object.is(value, -0)) return '-0'
  return String(value)
}

/** A float32 (Toxiproxy's `toxicity`) as Go writes it: the shortest decimal that reads back as that float32. */
export function formatFloat32(value: number): string {
  const f = Math.fround(value)
  if (f === 0 || !Number.isFinite(f)) return formatFloat64(f)
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits))
    if (Math.fround(candidate) === f) return formatFloat64(candidate)
  }
  return formatFloat64(f)
}

/** An integer attribute. */
export function formatInt(value: number): string {
  return Object.is(value, -0) ? '0' : BigInt(Math.trunc(value)).toString()
}

/** Compact JSON of an object whose keys are already in order (strings, booleans, float64 numbers, null). */
export function goMarshal(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return goQuote(value)
  if (typeof value === 'number') return formatFloat64(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map(goMarshal).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  return `{${entries.map(([k, v]) => `${goQuote(k)}:${goMarshal(v)}`).join(',')}}`
}

/** Go sorts map keys by their UTF-8 bytes. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
