/**
 * How the write ledger talks to the system under test. The interface is small on purpose so that other
 * stores (a SQL adapter comes later) plug in beside the HTTP one: a write either resolves (acknowledged)
 * or throws (not acknowledged); a read says whether the key is there and, if so, what it holds.
 */
import {RiftError} from '../../errors.js'

export type LedgerRead =
  | {found: false}
  | {
      found: true
      value: string
      /**
       * How many copies of the key the store holds, when the adapter can tell (a SQL adapter can count rows;
       * HTTP cannot). More than one marks the key `duplicated`.
       */
      copies?: number
    }

export interface LedgerAdapter {
  /** Resolves when the store acknowledged the write; throws when it did not (error status, reset, abort). */
  write(key: string, value: string, signal: AbortSignal): Promise<void>
  /** Throws when the store cannot say (error status, network error): that is not the same as "not found". */
  read(key: string, signal: AbortSignal): Promise<LedgerRead>
}

export interface HttpLedgerAdapterOptions {
  /** `"PUT http://127.0.0.1:8080/kv/{key}"`: a method, a space and a URL with `{key}` in it. */
  write: string
  /** `"GET http://127.0.0.1:8080/kv/{key}"`. */
  read: string
  /** Extra request headers for both (for example an authorization header). */
  headers?: Record<string, string>
}

export interface RequestTemplate {
  method: string
  url: string
}

const TEMPLATE = /^([A-Za-z]+)\s+(\S+)$/

/** Parses `"<METHOD> <url with {key}>"`; throws RIFT_USAGE naming `field` when it is not one. */
export function parseRequestTemplate(text: string, field = 'template'): RequestTemplate {
  const match = TEMPLATE.exec(text.trim())
  const usage = (reason: string): RiftError =>
    new RiftError('RIFT_USAGE', `${field}: ${reason}, got ${JSON.stringify(text)}`, {suggestions: [`${field}: "PUT http://127.0.0.1:8080/kv/{key}"`]})
  if (match === null) throw usage('expected a method and a URL, like "PUT http://127.0.0.1:8080/kv/{key}"')
  const url = match[2]!
  if (!url.includes('{key}')) throw usage('the URL must contain {key}, where each write puts its key')
  let parsed: URL
  try {
    parsed = new URL(url.replaceAll('{key}', 'k'))
  } catch {
    throw usage('the URL is not valid')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw usage('the URL must be http or https')
  return {method: match[1]!.toUpperCase(), url}
}

export function expandTemplate(template: RequestTemplate, key: string): string {
  return template.url.replaceAll('{key}', encodeURIComponent(key))
}

/**
 * The value in a read's 2xx body: the body itself, or its `value` field when the body is a JSON object with
 * a string `value` (as rift's sandbox answers: `{key, value, version, checksum, region, writtenAt}`).
 */
export function valueFromBody(body: string): string {
  const trimmed = body.trimStart()
  if (!trimmed.startsWith('{')) return body
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as {value?: unknown}).value === 'string') return (parsed as {value: string}).value
  } catch {
    // not JSON after all: the body is the value
  }
  return body
}

/**
 * Writes send the value as the body; any 2xx is an acknowledgement. Reads: 404 is "not found", 2xx carries
 * the value (see valueFromBody); any other status throws, because the checker must not mistake an
 * unavailable store for a lost write.
 */
export function createHttpLedgerAdapter(options: HttpLedgerAdapterOptions): LedgerAdapter {
  const write = parseRequestTemplate(options.write, 'write')
  const read = parseRequestTemplate(options.read, 'read')
  const headers = options.headers ?? {}
  return {
    async write(key, value, signal) {
      const res = await fetch(expandTemplate(write, key), {body: value, headers: {'content-type': 'text/plain; charset=utf-8', ...headers}, method: write.method, signal})
      const text = await res.text()
      if (res.status < 200 || res.status > 299) throw new Error(`${write.method} ${key}: HTTP ${res.status}${text === '' ? '' : ` ${text.slice(0, 200)}`}`)
    },
    async read(key, signal) {
      const res = await fetch(expandTemplate(read, key), {headers, method: read.method, signal})
      const text = await res.text()
      if (res.status === 404) return {found: false}
      if (res.status < 200 || res.status > 299) throw new Error(`${read.method} ${key}: HTTP ${res.status}${text === '' ? '' : ` ${text.slice(0, 200)}`}`)
      return {found: true, value: valueFromBody(text)}
    },
  }
}
