/**
 * `tcp` probe: one connection attempt with a deadline. `open` means the handshake completed; `refused` means
 * the peer answered with a reset (ECONNREFUSED). A timeout is neither: a black-holed port is not a refused one,
 * so `expect: refused` never passes on silence.
 */
import {connect} from 'node:net'
import type {z} from 'zod'

import type {tcpProbeSchema} from '../experiment/schema.js'
import type {ProbeOutcome} from './outcome.js'
import {abortReason, elapsedMs, timeoutMs} from './timeout.js'

export type TcpProbeSpec = z.output<typeof tcpProbeSchema>['tcp']
export type TcpState = 'open' | 'refused' | 'timeout' | 'error'

export interface TcpProbeOutcome extends ProbeOutcome {
  value: TcpState
}

export async function runTcpProbe(spec: TcpProbeSpec, signal: AbortSignal): Promise<TcpProbeOutcome> {
  signal.throwIfAborted()
  const {host, port} = parseAddress(spec.address)
  const limitMs = timeoutMs(spec.timeout)
  const started = performance.now()
  const attempt = await attemptConnect(host, port, limitMs, signal)
  const durationMs = elapsedMs(started)
  const seen = attempt.state === 'timeout' ? `no answer within ${limitMs}ms` : attempt.code ? `${attempt.state} (${attempt.code})` : attempt.state
  const ok = attempt.state === spec.expect
  return {
    detail: `${spec.address} ${seen} in ${Math.round(durationMs)}ms${ok ? '' : `, expected ${spec.expect}`}`,
    durationMs,
    ok,
    value: attempt.state,
  }
}

/** `host:port` or `[ipv6]:port`; an empty host means this machine. */
export function parseAddress(address: string): {host: string; port: number} {
  const colon = address.lastIndexOf(':')
  const rawHost = address.slice(0, colon)
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost
  return {host: host === '' ? 'localhost' : host, port: Number(address.slice(colon + 1))}
}

function attemptConnect(host: string, port: number, limitMs: number, signal: AbortSignal): Promise<{code?: string; state: TcpState}> {
  return new Promise((resolve, reject) => {
    const socket = connect({host, port})
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      socket.destroy()
    }
    const onAbort = (): void => {
      done()
      reject(abortReason(signal))
    }
    const timer = setTimeout(() => {
      done()
      resolve({state: 'timeout'})
    }, limitMs)
    signal.addEventListener('abort', onAbort, {once: true})
    socket.once('connect', () => {
      done()
      resolve({state: 'open'})
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      done()
      const code = error.code ?? 'EUNKNOWN'
      resolve({code, state: code === 'ECONNREFUSED' ? 'refused' : 'error'})
    })
  })
}
