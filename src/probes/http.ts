/**
 * `http` probe: one request with a deadline. Passes when the status is expected (by default any status below
 * 400, as Kubernetes HTTP probes judge) and, if asked, the body contains a string. Redirects are followed.
 */
import type {z} from 'zod'

import type {httpProbeSchema} from '../experiment/schema.js'
import type {ProbeOutcome} from './outcome.js'
import {abortReason, elapsedMs, timeoutMs} from './timeout.js'

export type HttpProbeSpec = z.output<typeof httpProbeSchema>['http']

export interface HttpProbeOutcome extends ProbeOutcome {
  /** Time to the response headers; null when no response came. */
  latencyMs: number | null
  /** The status code, or null when no response came. */
  value: number | null
}

/** Bodies are read only as far as `bodyContains` needs, and never past this. */
const MAX_BODY_BYTES = 1024 * 1024

export async function runHttpProbe(spec: HttpProbeSpec, signal: AbortSignal): Promise<HttpProbeOutcome> {
  signal.throwIfAborted()
  const limitMs = timeoutMs(spec.timeout)
  const deadline = AbortSignal.timeout(limitMs)
  const request = `${spec.method} ${spec.url}`
  const started = performance.now()
  try {
    const response = await fetch(spec.url, {
      method: spec.method,
      signal: AbortSignal.any([signal, deadline]),
      ...(spec.headers === undefined ? {} : {headers: spec.headers}),
      ...(spec.body === undefined ? {} : {body: spec.body}),
    })
    const latencyMs = elapsedMs(started)
    const wanted = spec.expect?.bodyContains
    // An unread body holds the connection open; read it only when it is checked.
    let body = ''
    if (wanted === undefined) await response.body?.cancel()
    else body = await readCapped(response)
    const problems = [statusProblem(response.status, spec.expect?.status), bodyProblem(body, wanted)].filter((p) => p !== undefined)
    const summary = `${request} → ${response.status} in ${Math.round(latencyMs)}ms`
    return {
      detail: problems.length === 0 ? summary : `${summary}: ${problems.join('; ')}`,
      durationMs: elapsedMs(started),
      latencyMs,
      ok: problems.length === 0,
      value: response.status,
    }
  } catch (error) {
    if (signal.aborted) throw abortReason(signal)
    const why = deadline.aborted ? `no response within ${limitMs}ms` : describeFailure(error)
    return {detail: `${request}: ${why}`, durationMs: elapsedMs(started), latencyMs: null, ok: false, value: null}
  }
}

function statusProblem(status: number, expected: number | number[] | undefined): string | undefined {
  if (expected === undefined) return status < 400 ? undefined : `expected a status below 400`
  const allowed = Array.isArray(expected) ? expected : [expected]
  return allowed.includes(status) ? undefined : `expected status ${allowed.join(' or ')}`
}

function bodyProblem(body: string, wanted: string | undefined): string | undefined {
  if (wanted === undefined || body.includes(wanted)) return undefined
  return `body does not contain ${JSON.stringify(wanted)}${body.length >= MAX_BODY_BYTES ? ` in its first ${MAX_BODY_BYTES} bytes` : ''}`
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  while (bytes < MAX_BODY_BYTES) {
    const {done, value} = await reader.read()
    if (done) return text + decoder.decode()
    bytes += value.byteLength
    text += decoder.decode(value, {stream: true})
  }
  await reader.cancel()
  return text
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  UND_ERR_SOCKET: 'connection closed by the server',
}

/** fetch says only "fetch failed"; the reason is in `cause.code`. */
function describeFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined
  const code = cause !== undefined && 'code' in cause ? String(cause.code) : undefined
  if (code !== undefined) return `${REASONS[code] ?? cause?.message ?? 'request failed'} (${code})`
  return error instanceof Error ? (cause?.message ?? error.message) : String(error)
}
